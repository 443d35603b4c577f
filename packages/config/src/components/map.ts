import type { z } from 'zod';
import type { batchSchema } from './schemas.js';

// The batch processor's mapping, until packages/batcher exports its own factory.

type Out<S extends z.ZodType> = z.output<S>;

const drop = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function mapBatch(c: Out<typeof batchSchema>) {
  return drop({
    sendBatchSize: c.send_batch_size,
    sendBatchMaxSize: c.send_batch_max_size,
    timeoutMs: c.timeout,
    maxConcurrentSends: c.max_concurrent_sends,
    lingerMs: c.linger,
    metadataKeys: c.metadata_keys,
    metadataCardinalityLimit: c.metadata_cardinality_limit,
  });
}
