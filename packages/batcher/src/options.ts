import { z } from 'zod';
import type { Assert, DefaultsOf, SchemaMatches, TelemetryOptions } from '@otlp-kafka/core';

/** Options of the batch processor; names follow the Collector's batch processor in camelCase. */
export interface BatcherOptions extends TelemetryOptions {
  /** The `processor` attribute of the metrics and the name in messages. Default 'batch'. */
  name?: string;
  /** Items (spans, data points, log records) at which a batch goes at once, even with every send slot busy. 0: no size trigger. Default 8192. */
  sendBatchSize?: number;
  /** Upper bound on items per outgoing batch; larger data is split. 0: no bound. Default 0. */
  sendBatchMaxSize?: number;
  /** Upper bound on the encoded bytes of an outgoing batch; larger data is split. 0: no bound. Default 0. */
  sendBatchMaxBytes?: number;
  /**
   * The longest an item waits: a batch whose first item arrived this long ago
   * goes even with every send slot busy. Never a wait for more data while a slot
   * is free. 0: every request is sent at once. Default 200.
   */
  timeoutMs?: number;
  /**
   * Outgoing batches per key (signal, topic, metadata) in flight at once before
   * arrivals gather and wait for one to return (group commit). Batches that
   * reached sendBatchSize and timed-out batches go regardless. Default 1.
   */
  maxConcurrentSends?: number;
  /**
   * With a send slot free, wait this long for more arrivals first (measured on
   * the seed's agent config: fuller Kafka records at 150k spans/s for ~5 ms at
   * light load). 0: only those of the current event-loop turn. Default 5.
   */
  lingerMs?: number;
  /** Request header names (case-insensitive): one batch per distinct combination of their values. Default []. */
  metadataKeys?: string[];
  /** At most this many distinct metadata combinations pending at once; more is backpressure. Default 1000. */
  metadataCardinalityLimit?: number;
  /** Bound on encoded bytes held (waiting or being sent) by callers whose promise has not settled. Default 64 MiB. */
  maxPendingBytes?: number;
  /** Bound on items held likewise. Default 1048576. */
  maxPendingItems?: number;
  /** Retry hint given with a backpressure outcome. Default: timeoutMs, at least 100. */
  retryAfterMs?: number;
  /** How long shutdown waits for the outcomes of the last batches. Default 10000. */
  shutdownTimeoutMs?: number;
}

export const DEFAULTS = {
  name: 'batch',
  sendBatchSize: 8192,
  sendBatchMaxSize: 0,
  sendBatchMaxBytes: 0,
  timeoutMs: 200,
  maxConcurrentSends: 1,
  lingerMs: 5,
  metadataKeys: [] as string[],
  metadataCardinalityLimit: 1000,
  maxPendingBytes: 64 * 1024 * 1024,
  maxPendingItems: 1_048_576,
  shutdownTimeoutMs: 10_000,
} as const satisfies DefaultsOf<BatcherOptions>;

const count = z.number().int().nonnegative();

export const optionsSchema = z
  .object({
    name: z.string().min(1).default(DEFAULTS.name),
    sendBatchSize: count.default(DEFAULTS.sendBatchSize),
    sendBatchMaxSize: count.default(DEFAULTS.sendBatchMaxSize),
    sendBatchMaxBytes: count.default(DEFAULTS.sendBatchMaxBytes),
    timeoutMs: count.default(DEFAULTS.timeoutMs),
    maxConcurrentSends: z.number().int().positive().max(1024).default(DEFAULTS.maxConcurrentSends),
    lingerMs: count.max(60_000).default(DEFAULTS.lingerMs),
    metadataKeys: z.array(z.string().min(1)).default(DEFAULTS.metadataKeys),
    metadataCardinalityLimit: z.number().int().positive().default(DEFAULTS.metadataCardinalityLimit),
    maxPendingBytes: z.number().int().positive().default(DEFAULTS.maxPendingBytes),
    maxPendingItems: z.number().int().positive().default(DEFAULTS.maxPendingItems),
    retryAfterMs: count.optional(),
    shutdownTimeoutMs: count.default(DEFAULTS.shutdownTimeoutMs),
    meterProvider: z.any().optional(),
    logger: z.any().optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.sendBatchMaxSize > 0 && o.sendBatchSize > o.sendBatchMaxSize)
      ctx.addIssue({
        code: 'custom',
        path: ['sendBatchMaxSize'],
        message: `must be 0 or at least sendBatchSize (${o.sendBatchSize})`,
      });
    const lower = o.metadataKeys.map((k) => k.toLowerCase());
    if (new Set(lower).size !== lower.length)
      ctx.addIssue({
        code: 'custom',
        path: ['metadataKeys'],
        message: 'duplicate keys (names are case-insensitive)',
      });
  });

/** Compile-time: the schema accepts exactly the options of the interface. @typecheck */
export type OptionsCheck = Assert<SchemaMatches<z.input<typeof optionsSchema>, BatcherOptions>>;
