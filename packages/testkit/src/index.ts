// @otlp-kafka/testkit: fakes and helpers for testing otlp-kafka pipelines (public API).
// Explicit named exports only. Pure fakes: nothing here loads the Kafka client or the
// metrics SDK; those are the subpaths /kafka and /metrics.

export { type SinkBehaviour } from './sink-behaviour.js';
export { createMemorySink, type MemorySink, type MemorySinkOptions, type SinkCall } from './memory-sink.js';
export {
  createCountingSink,
  type CountingSink,
  type CountingSinkOptions,
  type CountReport,
  type ExpectedIds,
} from './counting-sink.js';
export { itemIds, TEST_ID_ATTRIBUTE } from './item-ids.js';
export {
  createLoadGenerator,
  GENERATOR_DEFAULTS,
  type LoadGenerator,
  type LoadGeneratorOptions,
  type GeneratedRequest,
} from './load-generator.js';
export { sendAtRate, type SendAtRateOptions, type SendTarget, type RateReport } from './rate.js';
export {
  startOtlpBackend,
  type OtlpBackend,
  type OtlpBackendOptions,
  type BackendMode,
  type ModeOptions,
} from './otlp-backend.js';
