import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ExportBridge } from './internal/bridge.js';
import { encodeLogs, encodeMetrics, encodeSpans } from './internal/serialize.js';
import { temporalitySelector, type TemporalityPreference } from './internal/temporality.js';

/** A SpanExporter for BatchSpanProcessor or NodeSDK's `traceExporter`. */
export interface KafkaSpanExporter extends SpanExporter {
  forceFlush(): Promise<void>;
}

/** A LogRecordExporter for BatchLogRecordProcessor. */
export interface KafkaLogRecordExporter extends LogRecordExporter {
  forceFlush(): Promise<void>;
}

/** A PushMetricExporter for PeriodicExportingMetricReader. */
export interface KafkaMetricExporter extends PushMetricExporter {
  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality;
}

export interface MetricExporterOptions {
  /**
   * As the SDK's OTLP metric exporters: 'cumulative', 'delta' (counters and
   * histograms delta) or 'lowmemory' (synchronous counters and histograms delta).
   * Env: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE. Default 'cumulative'.
   */
  temporalityPreference?: TemporalityPreference;
  /** Aggregation per instrument type. Default: the SDK's default aggregation. */
  aggregationSelector?: (instrumentType: InstrumentType) => AggregationOption;
}

export function spanExporterOver(bridge: ExportBridge): KafkaSpanExporter {
  return {
    export: (spans: ReadableSpan[], cb: (r: ExportResult) => void) =>
      bridge.export(() => encodeSpans(spans), cb),
    forceFlush: () => bridge.forceFlush(),
    shutdown: () => bridge.shutdown(),
  };
}

export function logRecordExporterOver(bridge: ExportBridge): KafkaLogRecordExporter {
  return {
    export: (logs: ReadableLogRecord[], cb: (r: ExportResult) => void) =>
      bridge.export(() => encodeLogs(logs), cb),
    forceFlush: () => bridge.forceFlush(),
    shutdown: () => bridge.shutdown(),
  };
}

export function metricExporterOver(
  bridge: ExportBridge,
  preference: TemporalityPreference,
  aggregationSelector: MetricExporterOptions['aggregationSelector'],
): KafkaMetricExporter {
  const select = temporalitySelector(preference);
  const exporter: KafkaMetricExporter = {
    export: (metrics: ResourceMetrics, cb: (r: ExportResult) => void) =>
      bridge.export(() => encodeMetrics(metrics), cb),
    forceFlush: () => bridge.forceFlush(),
    shutdown: () => bridge.shutdown(),
    selectAggregationTemporality: select,
  };
  if (aggregationSelector) exporter.selectAggregation = aggregationSelector;
  return exporter;
}
