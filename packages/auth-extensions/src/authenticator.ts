import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A request's headers as the receiver hands them to an authenticator: lower-case
 * names (HTTP headers; gRPC metadata without the binary `-bin` entries).
 */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Let in, or refused with a short machine-readable reason (counted by the receiver's metric: keep it a small set). */
export type AuthResult =
  | { readonly ok: true; readonly subject?: string }
  | {
      readonly ok: false;
      /** e.g. `missing_credentials`, `invalid_credentials`; a metric attribute, so a small fixed set. */
      readonly reason: string;
      /** The `WWW-Authenticate` value of the HTTP 401; default the authenticator's `challenge`. */
      readonly challenge?: string;
    };

/** Decides from the request headers; may be async. A throw refuses the request (reason `error`). */
export type AuthenticateFn = (headers: RequestHeaders) => AuthResult | Promise<AuthResult>;

/** An authenticator with a lifecycle (files read at start, watched until shutdown), as the receiver runs it. */
export interface ServerAuthenticator {
  readonly authenticate: AuthenticateFn;
  /** `WWW-Authenticate` of a refusal that names none, e.g. `Bearer realm="otlp"`. */
  readonly challenge?: string;
  start?(): Promise<void>;
  shutdown?(): Promise<void>;
}

/** The realm this package's authenticators announce in `WWW-Authenticate`. */
export const REALM = 'otlp';

/** The first value of a header (names are lower case). */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  const first = typeof v === 'string' ? v : v?.[0];
  return first === undefined || first === '' ? undefined : first;
}

const digest = (s: string | Buffer): Buffer => createHash('sha256').update(s).digest();

/**
 * Constant-time equality of two secrets: both are hashed to the same length
 * first, so neither the content nor the length of the expected one leaks
 * through timing (crypto.timingSafeEqual needs equal lengths).
 */
export function secretEquals(received: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(received), digest(expected));
}
