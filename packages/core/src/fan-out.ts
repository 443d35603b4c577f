import type { Batch } from '@otlp-kafka/pdata';
import type { Consumer } from './component.js';
import { invalidOptions, toPipelineError } from './errors.js';
import { partial, retryable, worst, type Outcome } from './outcome.js';

/**
 * Calls a consumer and turns a broken promise into a retryable outcome, so a
 * buggy component can never make its caller treat data as delivered.
 */
export async function safeConsume(consumer: Consumer, batch: Batch): Promise<Outcome> {
  try {
    return await consumer.consume(batch);
  } catch (e) {
    return retryable(toPipelineError(e));
  }
}

/** One consumer that hands each batch to all of `consumers` and settles with the worst outcome. */
export function fanOut(consumers: readonly Consumer[]): Consumer {
  // With none, every batch would resolve ok while nobody accepted it.
  if (consumers.length === 0) throw invalidOptions('fanOut', 'at least one consumer is required');
  if (consumers.length === 1) return consumers[0]!;
  return {
    async consume(batch: Batch): Promise<Outcome> {
      const outcomes = await Promise.all(consumers.map((c) => safeConsume(c, batch)));
      const result = worst(outcomes);
      // Every consumer saw the same items: rejections overlap, so the count is the largest, not the sum.
      if (result.isOk() && result.value.kind === 'partial') {
        const rejected = Math.max(
          ...outcomes.map((o) => (o.isOk() && o.value.kind === 'partial' ? o.value.rejectedItems : 0)),
        );
        return partial(rejected, result.value.message);
      }
      return result;
    },
  };
}
