import { defined, duration } from '@otlp-kafka/core';
import { z } from 'zod';
import type { BatcherOptions } from '../options.js';

/** The Collector's batch processor config, plus our group-commit keys. Strict: an unknown option is an error. */
export const configSchema = z.strictObject({
  send_batch_size: z.number().int().nonnegative().optional(),
  send_batch_max_size: z.number().int().nonnegative().optional(),
  timeout: duration.optional(),
  // Ours (group commit; the Collector's batch processor acknowledges before sending).
  max_concurrent_sends: z.number().int().positive().optional(),
  linger: duration.optional(),
  metadata_keys: z.array(z.string()).optional(),
  metadata_cardinality_limit: z.number().int().positive().optional(),
});

export type BatchConfig = z.output<typeof configSchema>;

/** Config -> options; unset keys stay unset so the options' defaults (and their checks) apply. */
export function toOptions(c: BatchConfig): BatcherOptions {
  return defined({
    sendBatchSize: c.send_batch_size,
    sendBatchMaxSize: c.send_batch_max_size,
    timeoutMs: c.timeout,
    maxConcurrentSends: c.max_concurrent_sends,
    lingerMs: c.linger,
    metadataKeys: c.metadata_keys,
    metadataCardinalityLimit: c.metadata_cardinality_limit,
  });
}
