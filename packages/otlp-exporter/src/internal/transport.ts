import type { PipelineError } from '@otlp-kafka/core';
import type { Signal } from '@otlp-kafka/pdata';

/** What one attempt to send a request came back with. */
export type AttemptResult =
  /** The backend took the request; rejectedItems > 0 is a partial success. */
  | { readonly kind: 'ok'; readonly rejectedItems: number; readonly message: string }
  /** Worth sending again; retryAfterMs when the backend said when (Retry-After, RetryInfo). */
  | { readonly kind: 'retryable'; readonly error: PipelineError; readonly retryAfterMs?: number }
  | { readonly kind: 'permanent'; readonly error: PipelineError };

/**
 * One request body prepared once per batch (encoded, compressed) and sent as
 * many times as the retries need.
 */
export interface Prepared {
  readonly signal: Signal;
  readonly body: Uint8Array;
  /** Headers of this batch's requests only (lower-case names: headersFromMetadata, bearerToken), over the configured ones. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** OTLP/HTTP or OTLP/gRPC. send() never rejects. */
export interface Transport {
  /** Encoding and compression, done once per batch. A permanent result means the batch cannot be sent. */
  prepare(signal: Signal, bytes: Uint8Array): Promise<Prepared | AttemptResult>;
  /**
   * One attempt, bounded by the per-attempt timeout and by `signal` (shutdown).
   * `previousAttempts` > 0 marks a retry of the same body (gRPC: metadata
   * `grpc-previous-rpc-attempts`, as gRPC's own retries send it): an earlier
   * attempt may have been accepted although its answer never arrived.
   */
  send(prepared: Prepared, abort: AbortSignal, previousAttempts?: number): Promise<AttemptResult>;
  /** Closes connections; in-flight requests are expected to be done or aborted. */
  close(): Promise<void>;
}

export function isPrepared(p: Prepared | AttemptResult): p is Prepared {
  return 'body' in p;
}
