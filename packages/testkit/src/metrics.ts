// @otlp-kafka/testkit/metrics: a real OpenTelemetry MeterProvider whose metrics a test reads
// on demand. A subpath of its own so the root export does not pull in the metrics SDK.
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type MeterProviderOptions,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** A counter's or gauge's value, or a histogram's count and sum. */
export type MetricValue = number | { readonly count: number; readonly sum: number };

export interface MetricPoint {
  readonly attributes: Attributes;
  readonly value: MetricValue;
}

/** Metric name → its data points, in the SDK's order. */
export type MetricValues = ReadonlyMap<string, readonly MetricPoint[]>;

export interface TestMeterOptions {
  /** `'delta'`: each read reports only what was recorded since the previous one. Default `'cumulative'`. */
  readonly temporality?: 'cumulative' | 'delta';
  /** Passed to the MeterProvider (for tests that serialize what the SDK produced). */
  readonly resource?: MeterProviderOptions['resource'];
  readonly views?: MeterProviderOptions['views'];
}

export interface TestMeter {
  /** Give this to a component's `meterProvider` option. */
  readonly meterProvider: MeterProvider;
  /** Collects now: name → points. */
  read(): Promise<MetricValues>;
  /**
   * Collects now and adds up the points of `name` whose attributes include `attributes`
   * (a histogram point adds its sum); undefined when no point matches, so "never recorded"
   * and "recorded 0" stay apart.
   */
  sum(name: string, attributes?: Attributes): Promise<number | undefined>;
  /** Collects now, as the SDK hands it to an exporter (throws on collection errors). */
  collect(): Promise<ResourceMetrics>;
  shutdown(): Promise<void>;
}

// The SDK's only reader that collects on demand without exporting is this abstract class.
class OnDemandReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export function createTestMeter(options: TestMeterOptions = {}): TestMeter {
  const delta = options.temporality === 'delta';
  const reader = new OnDemandReader(
    delta ? { aggregationTemporalitySelector: () => AggregationTemporality.DELTA } : undefined,
  );
  const meterProvider = new MeterProvider({
    resource: options.resource,
    views: options.views,
    readers: [reader],
  });
  const collect = async (): Promise<ResourceMetrics> => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, 'metric collection failed');
    return resourceMetrics;
  };
  const read = async (): Promise<MetricValues> => valuesOf(await collect());
  return {
    meterProvider,
    read,
    collect,
    async sum(name, attributes = {}) {
      const points = (await read()).get(name) ?? [];
      const matching = points.filter((p) =>
        Object.entries(attributes).every(([k, v]) => p.attributes[k] === v),
      );
      if (matching.length === 0) return undefined;
      return matching.reduce((total, p) => total + (typeof p.value === 'number' ? p.value : p.value.sum), 0);
    },
    shutdown: () => meterProvider.shutdown(),
  };
}

function valuesOf(rm: ResourceMetrics): MetricValues {
  const out = new Map<string, MetricPoint[]>();
  for (const sm of rm.scopeMetrics)
    for (const m of sm.metrics) {
      const points = out.get(m.descriptor.name) ?? [];
      if (
        m.dataPointType === DataPointType.HISTOGRAM ||
        m.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM
      )
        for (const dp of m.dataPoints)
          points.push({
            attributes: dp.attributes,
            value: { count: dp.value.count, sum: dp.value.sum ?? 0 },
          });
      else for (const dp of m.dataPoints) points.push({ attributes: dp.attributes, value: dp.value });
      out.set(m.descriptor.name, points);
    }
  return out;
}
