import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface MetricPoint {
  readonly attributes: Record<string, unknown>;
  readonly value: number;
}

/** A real SDK MeterProvider, read on demand (delta: each read reports only what was observed since the last). */
export function testMeter(temporality: 'cumulative' | 'delta' = 'cumulative'): { meterProvider: MeterProvider; points(name: string): Promise<MetricPoint[]>; sum(name: string, attributes?: Record<string, unknown>): Promise<number> } {
  const reader = new TestReader(
    temporality === 'delta' ? { aggregationTemporalitySelector: () => AggregationTemporality.DELTA } : undefined,
  );
  const meterProvider = new MeterProvider({ readers: [reader] });
  const points = async (name: string): Promise<MetricPoint[]> => {
    const { resourceMetrics } = await reader.collect();
    return pointsOf(resourceMetrics, name);
  };
  return {
    meterProvider,
    points,
    async sum(name, attributes = {}) {
      return (await points(name))
        .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
        .reduce((a, p) => a + p.value, 0);
    },
  };
}

function pointsOf(rm: ResourceMetrics, name: string): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const sm of rm.scopeMetrics)
    for (const m of sm.metrics) {
      if (m.descriptor.name !== name) continue;
      for (const dp of m.dataPoints) out.push({ attributes: dp.attributes, value: dp.value as number });
    }
  return out;
}
