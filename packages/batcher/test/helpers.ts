import type { Batch, Consumer, Outcome } from '@otlp-kafka/core';
import { createLoadGenerator, itemIds } from '@otlp-kafka/testkit';

/** A generator whose requests have `items` items, ids prefixed uniquely. */
export function callerBatch(
  prefix: string,
  items: number,
  signal: Batch['signal'] = 'logs',
  attributeBytes = 8,
): { batch: Batch; ids: readonly string[] } {
  const g = createLoadGenerator({ itemsPerRequest: items, idPrefix: prefix, attributeBytes });
  const { batch, ids } = g.generate(signal);
  return { batch, ids };
}

export function ids(batch: Batch): string[] {
  return itemIds(batch).unwrap();
}

/** Yields to pending promise callbacks (real timers). */
export function tick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** A consumer that records each outgoing batch and answers with a function of its index. */
export function scriptedConsumer(
  answer: (index: number, batch: Batch) => Outcome | Promise<Outcome>,
): Consumer & { batches: Batch[] } {
  const batches: Batch[] = [];
  return {
    batches,
    consume(batch) {
      const i = batches.length;
      batches.push(batch);
      return Promise.resolve(answer(i, batch));
    },
  };
}
