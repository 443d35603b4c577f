import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
  defineFactory,
  getLogger,
  PipelineError,
  type Logger,
  type TelemetryOptions,
} from '@otlp-kafka/core';
import { z } from 'zod';
import {
  headerValue,
  REALM,
  secretEquals,
  type AuthResult,
  type RequestHeaders,
  type ServerAuthenticator,
} from './authenticator.js';

export const BEARER_DEFAULTS = { scheme: 'Bearer', header: 'Authorization', reloadDebounceMs: 100 } as const;

/**
 * The Collector's `bearertokenauth` extension, server side. Its names are single
 * words, so the YAML config and the options from code are the same object.
 */
export const bearerTokenAuthConfig = z
  .strictObject({
    /** Prefix of the header value, followed by one space; "" for the bare token. Default "Bearer". */
    scheme: z.string().default(BEARER_DEFAULTS.scheme),
    /** The header carrying the token. Default "Authorization". */
    header: z.string().min(1).default(BEARER_DEFAULTS.header),
    token: z.string().min(1).optional(),
    tokens: z.array(z.string().min(1)).min(1).optional(),
    /** A file of tokens, one a line; read at start and again whenever it changes. Wins over token/tokens. */
    filename: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.token === undefined && c.tokens === undefined && c.filename === undefined)
      ctx.addIssue({ code: 'custom', message: 'one of token, tokens or filename is required' });
    if (c.token !== undefined && c.tokens !== undefined)
      ctx.addIssue({ code: 'custom', message: 'token and tokens cannot both be set' });
  });

export type BearerTokenAuthOptions = z.input<typeof bearerTokenAuthConfig>;
type BearerTokenAuthConfig = z.output<typeof bearerTokenAuthConfig>;

export interface AuthenticatorTelemetry {
  logger?: TelemetryOptions['logger'];
  /** The extension id, in log lines. */
  name?: string;
}

const tokensOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** Checks `<scheme> <token>` in a header against the configured tokens, in constant time. */
export class BearerTokenAuthenticator implements ServerAuthenticator {
  readonly challenge: string;
  private tokens: readonly string[];
  private readonly config: BearerTokenAuthConfig;
  private readonly logger: Logger;
  private readonly name: string;
  private watcher: FSWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private loaded: string | undefined;
  private started: Promise<void> | undefined;

  constructor(options: BearerTokenAuthOptions, telemetry: AuthenticatorTelemetry = {}) {
    const parsed = bearerTokenAuthConfig.safeParse(options);
    if (!parsed.success)
      throw new PipelineError(
        'ERR_INVALID_OPTIONS',
        `bearertokenauth: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ')}`,
      );
    this.config = parsed.data;
    this.logger = getLogger(telemetry, 'bearertokenauth');
    this.name = telemetry.name ?? 'bearertokenauth';
    this.tokens = this.config.filename ? [] : (this.config.tokens ?? [this.config.token!]);
    this.challenge = `${this.config.scheme || 'Bearer'} realm="${REALM}"`;
  }

  /** Reads the token file (a missing or empty one fails start) and watches it. Without filename: nothing to do. */
  start(): Promise<void> {
    this.started ??= this.load();
    return this.started;
  }

  async shutdown(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.reloadTimer);
  }

  readonly authenticate = (headers: RequestHeaders): AuthResult => {
    const value = headerValue(headers, this.config.header);
    if (value === undefined) return { ok: false, reason: 'missing_credentials' };
    let token = value;
    const scheme = this.config.scheme;
    if (scheme !== '') {
      const space = value.indexOf(' ');
      // The scheme is case-insensitive (RFC 9110 11.1); the token is the secret.
      if (space < 0 || value.slice(0, space).toLowerCase() !== scheme.toLowerCase())
        return { ok: false, reason: 'invalid_scheme' };
      token = value.slice(space + 1).trim();
    }
    let match = false;
    // Every token is compared, so the time taken does not tell which one (or whether any) matched.
    for (const t of this.tokens) match = secretEquals(token, t) || match;
    return match ? { ok: true } : { ok: false, reason: 'invalid_credentials' };
  };

  private async load(): Promise<void> {
    const file = this.config.filename;
    if (file === undefined) return;
    const text = await readFile(file, 'utf8').catch((e: unknown) => {
      throw new PipelineError(
        'ERR_INVALID_OPTIONS',
        `${this.name}: cannot read the token file ${file}: ${(e as Error).message}`,
        { cause: e },
      );
    });
    const tokens = tokensOf(text);
    if (tokens.length === 0)
      throw new PipelineError('ERR_INVALID_OPTIONS', `${this.name}: the token file ${file} holds no token`);
    this.tokens = tokens;
    this.loaded = text;
    // The directory is watched, not the file: an editor's rename-over and a
    // Kubernetes Secret's symlink swap replace the file a file watch would follow.
    const name = basename(file);
    this.watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name && !String(changed).startsWith('..')) return;
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.reload(file), BEARER_DEFAULTS.reloadDebounceMs);
      this.reloadTimer.unref();
    });
    this.watcher.on('error', (err) => this.logger.warn({ err, file }, 'cannot watch the token file'));
  }

  private async reload(file: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      // Mid-replacement, or removed: the tokens in use stay until a readable file is back.
      this.logger.warn(
        { err, file, extension: this.name },
        'cannot read the token file: keeping the tokens in use',
      );
      return;
    }
    if (text === this.loaded) return;
    this.loaded = text;
    this.tokens = tokensOf(text);
    if (this.tokens.length === 0)
      this.logger.warn(
        { file, extension: this.name },
        'token file reloaded: it holds no token, every request is refused',
      );
    else this.logger.info({ file, extension: this.name, tokens: this.tokens.length }, 'token file reloaded');
  }
}

export function createBearerTokenAuthenticator(
  options: BearerTokenAuthOptions,
  telemetry?: AuthenticatorTelemetry,
): BearerTokenAuthenticator {
  return new BearerTokenAuthenticator(options, telemetry);
}

/**
 * `extensions: bearertokenauth/<name>`. Run from service.extensions it reads its
 * token file at start (so a missing file stops the process early); the receiver
 * whose `auth.authenticator` names it builds its own from the same config.
 */
export const bearerTokenAuthExtensionFactory = defineFactory({
  kind: 'extension',
  type: 'bearertokenauth',
  configSchema: bearerTokenAuthConfig,
  create: (config, context) => {
    const a = new BearerTokenAuthenticator(config, { logger: context.logger, name: context.id });
    return { start: () => a.start(), shutdown: () => a.shutdown() };
  },
});
