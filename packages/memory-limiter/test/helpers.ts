import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ok, type Batch, type Consumer, type Outcome } from '@otlp-kafka/core';
import { trustedBatch, type Signal } from '@otlp-kafka/pdata';

export function batchOf(bytes: number, itemCount = 1, signal: Signal = 'traces'): Batch {
  return trustedBatch(signal, new Uint8Array(bytes), itemCount);
}

/** A consumer whose outcomes the test settles by hand. */
export function deferredConsumer(): Consumer & {
  readonly pending: number;
  received: Batch[];
  settleNext(outcome?: Outcome): void;
} {
  const waiting: ((o: Outcome) => void)[] = [];
  const received: Batch[] = [];
  return {
    received,
    get pending() {
      return waiting.length;
    },
    consume(batch) {
      received.push(batch);
      return new Promise((resolve) => waiting.push(resolve));
    },
    settleNext(outcome = ok()) {
      const next = waiting.shift();
      if (!next) throw new Error('nothing pending');
      next(outcome);
    },
  };
}

export function okConsumer(): Consumer & { received: Batch[] } {
  const received: Batch[] = [];
  return {
    received,
    async consume(batch) {
      received.push(batch);
      return ok();
    },
  };
}

class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A real SDK MeterProvider and a way to read a counter's sum per attribute set. */
export function testMeter(): {
  meterProvider: MeterProvider;
  sum(name: string, attributes?: Record<string, string>): Promise<number>;
} {
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    meterProvider,
    async sum(name, attributes = {}) {
      const { resourceMetrics } = await reader.collect();
      return sumOf(resourceMetrics, name, attributes);
    },
  };
}

function sumOf(rm: ResourceMetrics, name: string, attributes: Record<string, string>): number {
  let total = 0;
  for (const sm of rm.scopeMetrics)
    for (const m of sm.metrics) {
      if (m.descriptor.name !== name) continue;
      for (const dp of m.dataPoints) {
        if (Object.entries(attributes).every(([k, v]) => dp.attributes[k] === v)) total += dp.value as number;
      }
    }
  return total;
}
