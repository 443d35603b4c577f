import type { BackoffPolicy, DefaultsOf, TelemetryOptions } from '@otlp-kafka/core';

export interface SpoolOptions extends TelemetryOptions {
  /** The directory of this spool's segments (created if missing). One spool per directory. Required. */
  readonly directory: string;
  /** Bytes on disk not yet forwarded; an append beyond it is refused with backpressure. Default 268435456 (256 MiB). */
  readonly maxBytes?: number;
  /** Batches not yet forwarded; 0: no limit besides maxBytes. Default 0. */
  readonly maxRecords?: number;
  /** Items (spans, data points, log records) not yet forwarded; 0: no limit besides maxBytes. Default 0. */
  readonly maxItems?: number;
  /** A segment file is closed and a new one begun past this size; a segment is deleted once all of it was forwarded. Default 16777216 (16 MiB). */
  readonly segmentBytes?: number;
  /** Batches forwarded at once. Default 4. */
  readonly maxInFlight?: number;
  /** Backoff between forwarding attempts while the downstream refuses. Default 250 ms doubling to 5 s, jitter 0.2, never giving up. */
  readonly retry?: Partial<BackoffPolicy>;
  /** The Retry-After hint of a refusal when the spool is full. Default 1000. */
  readonly fullRetryAfterMs?: number;
  /** Names the spool in messages and metrics. Default 'spool'. */
  readonly name?: string;
  /** How long shutdown waits for batches being forwarded (the rest stays on disk). Default 10000. */
  readonly shutdownTimeoutMs?: number;
}

export const DEFAULTS = {
  maxBytes: 256 * 1024 * 1024,
  maxRecords: 0,
  maxItems: 0,
  segmentBytes: 16 * 1024 * 1024,
  maxInFlight: 4,
  retry: {
    initialIntervalMs: 250,
    maxIntervalMs: 5000,
    multiplier: 2,
    randomizationFactor: 0.2,
    maxElapsedMs: 0,
  },
  fullRetryAfterMs: 1000,
  name: 'spool',
  shutdownTimeoutMs: 10_000,
} as const satisfies DefaultsOf<SpoolOptions>;
