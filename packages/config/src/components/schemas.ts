import { z } from 'zod';
import { duration } from '@otlp-kafka/core';

// Collector-compatible option names (snake_case). Strict: an unknown option is
// an error, so nothing a user wrote is silently ignored.

export const batchSchema = z.strictObject({
  send_batch_size: z.number().int().nonnegative().optional(),
  send_batch_max_size: z.number().int().nonnegative().optional(),
  timeout: duration.optional(),
  // Ours (group commit; the Collector's batch processor acknowledges before sending).
  max_concurrent_sends: z.number().int().positive().optional(),
  linger: duration.optional(),
  metadata_keys: z.array(z.string()).optional(),
  metadata_cardinality_limit: z.number().int().positive().optional(),
});
