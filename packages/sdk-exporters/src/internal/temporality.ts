import { AggregationTemporality, type InstrumentType } from '@opentelemetry/sdk-metrics';

export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

/**
 * The SDK's OTLP exporters' temporality preferences
 * (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE): delta for counters and
 * histograms (lowmemory: only the synchronous ones), cumulative otherwise.
 */
export function temporalitySelector(
  preference: TemporalityPreference,
): (type: InstrumentType) => AggregationTemporality {
  if (preference === 'cumulative') return () => AggregationTemporality.CUMULATIVE;
  const delta = new Set<string>(
    preference === 'delta' ? ['COUNTER', 'OBSERVABLE_COUNTER', 'HISTOGRAM'] : ['COUNTER', 'HISTOGRAM'],
  );
  return (type) =>
    delta.has(String(type)) ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
}
