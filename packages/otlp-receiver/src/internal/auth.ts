import type { AuthResult, RequestHeaders, ServerAuthenticator } from '@otlp-kafka/auth-extensions';
import type { Logger } from '@otlp-kafka/core';
import type { Authenticate } from '../options.js';
import type { ReceiverMetrics, Transport } from './metrics.js';

/** `WWW-Authenticate` of a refusal when neither it nor its authenticator names one. */
export const DEFAULT_CHALLENGE = 'Bearer realm="otlp"';

/** At most one log line per this long about refused requests; the others are counted in it. */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface Refusal {
  readonly reason: string;
  readonly challenge: string;
}

export const asAuthenticator = (a: Authenticate): ServerAuthenticator =>
  typeof a === 'function' ? { authenticate: a } : a;

/**
 * One warning per interval about unauthenticated requests (a client with a
 * wrong token sends all day long), with how many were refused since the last.
 */
export class RefusalLog {
  private last = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = REFUSAL_LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  refused(fields: { transport: Transport; reason: string; remoteAddress: string | undefined }): void {
    const t = this.now();
    if (t - this.last < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.logger.warn(
      { ...fields, refusedSinceLastLine: this.suppressed },
      'OTLP request refused: not authenticated (one line per 10 s at most; all counted in otelcol_receiver_unauthenticated_requests)',
    );
    this.last = t;
    this.suppressed = 0;
  }
}

/** A protocol's authentication step: the authenticator's answer, counted and logged when it refuses. */
export class RequestAuth {
  constructor(
    private readonly authenticator: ServerAuthenticator,
    private readonly transport: Transport,
    private readonly metrics: ReceiverMetrics,
    private readonly log: RefusalLog,
    private readonly logger: Logger,
  ) {}

  /** Undefined: let in. */
  async check(headers: RequestHeaders, remoteAddress: string | undefined): Promise<Refusal | undefined> {
    let result: AuthResult;
    try {
      result = await this.authenticator.authenticate(headers);
    } catch (err) {
      this.logger.error({ err, transport: this.transport }, 'the authenticator threw: request refused');
      result = { ok: false, reason: 'error' };
    }
    if (result.ok) return undefined;
    this.metrics.unauthenticated(this.transport, result.reason);
    this.log.refused({ transport: this.transport, reason: result.reason, remoteAddress });
    return {
      reason: result.reason,
      challenge: result.challenge ?? this.authenticator.challenge ?? DEFAULT_CHALLENGE,
    };
  }
}
