import { PipelineError, type FactoryContext } from '@otlp-kafka/core';
import type { ServerAuthenticator } from './authenticator.js';
import { BasicAuthenticator, type BasicAuthOptions } from './basic-auth.js';
import { BearerTokenAuthenticator, type BearerTokenAuthOptions } from './bearer-token.js';

/** The extension types that authenticate a server's requests. */
export const SERVER_AUTHENTICATOR_TYPES = ['bearertokenauth', 'basicauth'] as const;

/**
 * The authenticator for a component whose config says `auth: { authenticator: <id> }`:
 * built from that extension's validated config, or a clear error when the id
 * names no extension or one that is not an authenticator. `where` is the option's
 * path, for the message (the config layer prefixes the component id).
 */
export function serverAuthenticatorFromExtension(
  id: string,
  context: Pick<FactoryContext, 'extensions' | 'logger'>,
  where = 'auth.authenticator',
): ServerAuthenticator {
  const ext = context.extensions?.get(id);
  const fail = (message: string) => new PipelineError('ERR_INVALID_OPTIONS', `${where}: ${message}`);
  if (!ext)
    throw fail(
      `"${id}" is not defined in extensions (defined: ${[...(context.extensions?.keys() ?? [])].join(', ') || 'none'})`,
    );
  const telemetry = { logger: context.logger, name: id };
  switch (ext.type) {
    case 'bearertokenauth':
      return new BearerTokenAuthenticator(ext.config as BearerTokenAuthOptions, telemetry);
    case 'basicauth':
      return new BasicAuthenticator(ext.config as BasicAuthOptions, telemetry);
    default:
      throw fail(
        `"${id}" is a ${ext.type} extension, not an authenticator (${SERVER_AUTHENTICATOR_TYPES.join(', ')})`,
      );
  }
}
