import { describe, expect, it } from 'vitest';
import {
  BasicAuthenticator,
  BearerTokenAuthenticator,
  serverAuthenticatorFromExtension,
} from '../src/index.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const extensions = new Map<string, { type: string; config: unknown }>([
  [
    'bearertokenauth/in',
    { type: 'bearertokenauth', config: { token: 't', scheme: 'Bearer', header: 'Authorization' } },
  ],
  ['basicauth/in', { type: 'basicauth', config: { htpasswd: { inline: 'u:p' } } }],
  ['file_storage', { type: 'file_storage', config: { directory: '/tmp' } }],
]);

describe('serverAuthenticatorFromExtension', () => {
  it('builds the authenticator of a bearertokenauth or basicauth extension from its config', () => {
    expect(serverAuthenticatorFromExtension('bearertokenauth/in', { extensions, logger })).toBeInstanceOf(
      BearerTokenAuthenticator,
    );
    expect(serverAuthenticatorFromExtension('basicauth/in', { extensions, logger })).toBeInstanceOf(
      BasicAuthenticator,
    );
  });

  it('names an undefined id with the defined ones, and an extension of another type', () => {
    expect(() =>
      serverAuthenticatorFromExtension(
        'bearertokenauth/nope',
        { extensions, logger },
        'protocols.http.auth.authenticator',
      ),
    ).toThrow(
      'protocols.http.auth.authenticator: "bearertokenauth/nope" is not defined in extensions (defined: bearertokenauth/in, basicauth/in, file_storage)',
    );
    expect(() => serverAuthenticatorFromExtension('x', { logger })).toThrow(
      'auth.authenticator: "x" is not defined in extensions (defined: none)',
    );
    expect(() => serverAuthenticatorFromExtension('file_storage', { extensions, logger })).toThrow(
      'auth.authenticator: "file_storage" is a file_storage extension, not an authenticator (bearertokenauth, basicauth)',
    );
  });
});
