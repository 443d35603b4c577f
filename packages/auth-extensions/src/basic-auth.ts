import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { defineFactory, getLogger, PipelineError, type Logger } from '@otlp-kafka/core';
import bcrypt from 'bcryptjs';
import { z } from 'zod';

// apache-md5 is CommonJS (module.exports = the function) while its bundled types say
// `export default`; a default import type-checks only with a local declaration, which other
// projects compiling this source (e2e/) do not see. Required, it is what it is at runtime.
const md5 = createRequire(import.meta.url)('apache-md5') as (password: string, salt?: string) => string;
import {
  headerValue,
  REALM,
  secretEquals,
  type AuthResult,
  type RequestHeaders,
  type ServerAuthenticator,
} from './authenticator.js';
import type { AuthenticatorTelemetry } from './bearer-token.js';

/** The Collector's `basicauth` extension, server side: `htpasswd.file` and/or `htpasswd.inline`. */
export const basicAuthConfig = z.strictObject({
  htpasswd: z
    .strictObject({
      /** An htpasswd file, read at start. */
      file: z.string().min(1).optional(),
      /** htpasswd lines; read after the file, so a user here overrides the file's. */
      inline: z.string().optional(),
    })
    .refine((h) => h.file !== undefined || (h.inline ?? '').trim() !== '', {
      message: 'one of file or inline is required',
    }),
});

export type BasicAuthOptions = z.input<typeof basicAuthConfig>;
type BasicAuthConfig = z.output<typeof basicAuthConfig>;

type Scheme = 'bcrypt' | 'apr1' | 'sha' | 'ssha' | 'plain';

interface Entry {
  readonly scheme: Scheme;
  readonly hash: string;
}

/** The scheme of an htpasswd entry, as the Collector's htpasswd library tells them apart (plain text last). */
export function schemeOf(hash: string): Scheme | 'crypt-sha' {
  if (/^\$2[aby]\$/.test(hash)) return 'bcrypt';
  if (hash.startsWith('$apr1$') || hash.startsWith('$1$')) return 'apr1';
  if (hash.startsWith('{SHA}')) return 'sha';
  if (hash.startsWith('{SSHA}')) return 'ssha';
  if (hash.startsWith('$5$') || hash.startsWith('$6$')) return 'crypt-sha';
  return 'plain';
}

/** Parses htpasswd text: `user:hash` lines, `#` comments and blank lines skipped; a later user wins. */
export function parseHtpasswd(
  text: string,
  source: string,
  into = new Map<string, Entry>(),
): Map<string, Entry> {
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new PipelineError('ERR_INVALID_OPTIONS', `${source} line ${i + 1}: not user:password`);
    const user = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    const scheme = schemeOf(hash);
    if (scheme === 'crypt-sha')
      throw new PipelineError(
        'ERR_INVALID_OPTIONS',
        `${source} line ${i + 1} (user ${user}): SHA-256/512 crypt ($5$, $6$) is not supported; use bcrypt (htpasswd -B)`,
      );
    into.set(user, { scheme, hash });
  });
  return into;
}

const sha1 = (b: Buffer): Buffer => createHash('sha1').update(b).digest();
const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Whether `password` matches an htpasswd entry; every comparison of secrets is constant-time. */
export async function verifyPassword(password: string, entry: Entry): Promise<boolean> {
  switch (entry.scheme) {
    case 'bcrypt':
      // bcryptjs compares in constant time itself; $2y$ is $2b$ under another name.
      return bcrypt.compare(password, entry.hash.replace(/^\$2y\$/, '$2b$'));
    case 'apr1':
      return secretEquals(md5(password, entry.hash), entry.hash);
    case 'sha':
      return secretEquals(sha1(Buffer.from(password, 'utf8')).toString('base64'), entry.hash.slice(5));
    case 'ssha': {
      const raw = Buffer.from(entry.hash.slice(6), 'base64');
      if (raw.length <= 20) return false;
      const salt = raw.subarray(20);
      return secretEquals(sha1(Buffer.concat([Buffer.from(password, 'utf8'), salt])), raw.subarray(0, 20));
    }
    case 'plain':
      return secretEquals(password, entry.hash);
  }
}

/** A stand-in compared against for an unknown user, so its answer takes as long as a wrong password's. */
const NO_USER: Entry = { scheme: 'plain', hash: 'no such user' };

/** Checks `Authorization: Basic` against htpasswd entries. */
export class BasicAuthenticator implements ServerAuthenticator {
  readonly challenge = `Basic realm="${REALM}", charset="UTF-8"`;
  private entries = new Map<string, Entry>();
  private readonly config: BasicAuthConfig;
  private readonly logger: Logger;
  private readonly name: string;
  private started: Promise<void> | undefined;
  /**
   * bcrypt is meant to be slow (about 50-100 ms of CPU at cost 10), too slow
   * for every OTLP request: the SHA-256 of the last password verified per user
   * is kept, and a request with the same password is let in after a
   * constant-time comparison with it. One entry per user of the file, no more.
   */
  private readonly verified = new Map<string, Buffer>();

  constructor(options: BasicAuthOptions, telemetry: AuthenticatorTelemetry = {}) {
    const parsed = basicAuthConfig.safeParse(options);
    if (!parsed.success)
      throw new PipelineError(
        'ERR_INVALID_OPTIONS',
        `basicauth: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ')}`,
      );
    this.config = parsed.data;
    this.logger = getLogger(telemetry, 'basicauth');
    this.name = telemetry.name ?? 'basicauth';
    // Inline entries work without start (a file needs it).
    if (this.config.htpasswd.file === undefined) this.entries = this.parse(undefined);
  }

  /** Reads the htpasswd file; a missing file or a bad line fails start naming it. */
  start(): Promise<void> {
    this.started ??= (async () => {
      const file = this.config.htpasswd.file;
      if (file === undefined) return;
      const text = await readFile(file, 'utf8').catch((e: unknown) => {
        throw new PipelineError(
          'ERR_INVALID_OPTIONS',
          `${this.name}: cannot read the htpasswd file ${file}: ${(e as Error).message}`,
          { cause: e },
        );
      });
      this.entries = this.parse(text);
      this.logger.debug({ extension: this.name, users: this.entries.size }, 'htpasswd loaded');
    })();
    return this.started;
  }

  async shutdown(): Promise<void> {
    this.verified.clear();
  }

  readonly authenticate = async (headers: RequestHeaders): Promise<AuthResult> => {
    const value = headerValue(headers, 'authorization');
    if (value === undefined) return { ok: false, reason: 'missing_credentials' };
    const space = value.indexOf(' ');
    if (space < 0 || value.slice(0, space).toLowerCase() !== 'basic')
      return { ok: false, reason: 'invalid_scheme' };
    const decoded = Buffer.from(value.slice(space + 1).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, reason: 'malformed_credentials' };
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const entry = this.entries.get(user);
    if (!entry) {
      await verifyPassword(password, NO_USER);
      return { ok: false, reason: 'invalid_credentials' };
    }
    const digest = sha256(`${user}\0${password}`);
    const known = this.verified.get(user);
    if (known && secretEquals(digest, known)) return { ok: true, subject: user };
    if (!(await verifyPassword(password, entry))) return { ok: false, reason: 'invalid_credentials' };
    if (entry.scheme === 'bcrypt') this.verified.set(user, digest);
    return { ok: true, subject: user };
  };

  private parse(fileText: string | undefined): Map<string, Entry> {
    const { file, inline } = this.config.htpasswd;
    const entries = new Map<string, Entry>();
    if (fileText !== undefined) parseHtpasswd(fileText, `${this.name}: htpasswd file ${file}`, entries);
    if (inline !== undefined) parseHtpasswd(inline, `${this.name}: htpasswd.inline`, entries);
    this.verified.clear();
    return entries;
  }
}

export function createBasicAuthenticator(
  options: BasicAuthOptions,
  telemetry?: AuthenticatorTelemetry,
): BasicAuthenticator {
  return new BasicAuthenticator(options, telemetry);
}

/**
 * `extensions: basicauth/<name>`. Run from service.extensions it reads and checks
 * its htpasswd at start; the receiver whose `auth.authenticator` names it builds
 * its own from the same config.
 */
export const basicAuthExtensionFactory = defineFactory({
  kind: 'extension',
  type: 'basicauth',
  configSchema: basicAuthConfig,
  create: (config, context) => {
    const a = new BasicAuthenticator(config, { logger: context.logger, name: context.id });
    return { start: () => a.start(), shutdown: () => a.shutdown() };
  },
});
