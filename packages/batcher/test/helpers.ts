import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Batch, Consumer, Outcome } from '@otlp-kafka/core';
import { createLoadGenerator, itemIds, type LoadGenerator } from '@otlp-kafka/testkit';

/** A generator whose requests have `items` items, ids prefixed uniquely. */
export function callerBatch(prefix: string, items: number, signal: Batch['signal'] = 'logs', attributeBytes = 8): { batch: Batch; ids: readonly string[] } {
  const g = createLoadGenerator({ itemsPerRequest: items, idPrefix: prefix, attributeBytes });
  const { batch, ids } = g.generate(signal);
  return { batch, ids };
}

export function generator(items: number, prefix = 'g-'): LoadGenerator {
  return createLoadGenerator({ itemsPerRequest: items, idPrefix: prefix, attributeBytes: 8, signals: { logs: 1 } });
}

export function ids(batch: Batch): string[] {
  return itemIds(batch).unwrap();
}

/** Yields to pending promise callbacks (real timers). */
export function tick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** A consumer that records each outgoing batch and answers with a function of its index. */
export function scriptedConsumer(answer: (index: number, batch: Batch) => Outcome | Promise<Outcome>): Consumer & { batches: Batch[] } {
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

class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A real MeterProvider whose metrics a test can read. */
export function testMeter(): { meterProvider: MeterProvider; read(): Promise<Map<string, number[]>> } {
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    meterProvider,
    async read() {
      const { resourceMetrics } = await reader.collect();
      return flatten(resourceMetrics);
    },
  };
}

/** metric name -> values (sums, gauge values, or histogram count and sum). */
function flatten(rm: ResourceMetrics): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const sm of rm.scopeMetrics)
    for (const m of sm.metrics)
      out.set(
        m.descriptor.name,
        m.dataPoints.flatMap((dp) => {
          const v = dp.value as number | { count: number; sum?: number };
          return typeof v === 'number' ? [v] : [v.count, v.sum ?? 0];
        }),
      );
  return out;
}
