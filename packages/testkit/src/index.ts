// @otlp-kafka/testkit: fakes and helpers for testing otlp-kafka pipelines (public API).
// Explicit named exports only.

// Kafka (real Apache Kafka through the local harness, tools/kafka).
export { KAFKA_BROKERS_ENV, kafkaBrokers } from './kafka/brokers.js';
export { committedOffsets, deleteTopic, freshGroup, freshTopic, retryUnknownTopic } from './kafka/topics.js';
export type { FreshTopicOptions, KafkaTarget } from './kafka/topics.js';
export { consumeRaw, produceRaw } from './kafka/raw.js';
export type { ConsumeRawOptions, ConsumedRecord, ProducedRecord, RawMessage } from './kafka/raw.js';
export { startKafkaCluster } from './kafka/cluster.js';
export type { KafkaCluster, StartKafkaClusterOptions } from './kafka/cluster.js';
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
