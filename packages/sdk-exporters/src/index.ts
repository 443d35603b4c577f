export {
  createSpanExporter,
  createLogRecordExporter,
  createMetricExporter,
  createKafkaSpanExporter,
  createKafkaLogRecordExporter,
  createKafkaMetricExporter,
  createKafkaSdkExporters,
  type KafkaSdkExporters,
} from './factories.js';
export type {
  KafkaSpanExporter,
  KafkaLogRecordExporter,
  KafkaMetricExporter,
  MetricExporterOptions,
} from './exporters.js';
export {
  SDK_EXPORTER_DEFAULTS,
  type SdkExporterOptions,
  type SdkRetryOptions,
  type PipelineSdkExporterOptions,
  type KafkaSdkExporterOptions,
} from './options.js';
export type { TemporalityPreference } from './internal/temporality.js';
