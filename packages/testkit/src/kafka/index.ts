// @otlp-kafka/testkit/kafka: a real Apache Kafka for tests (the local harness, tools/kafka).
// A subpath of its own so that the root export stays pure fakes. Explicit named exports only.
export { KAFKA_BROKERS_ENV, kafkaBrokers } from './brokers.js';
export { committedOffsets, deleteTopic, freshGroup, freshTopic, retryUnknownTopic } from './topics.js';
export type { FreshTopicOptions, KafkaTarget } from './topics.js';
export { consumeRaw, produceRaw } from './raw.js';
export type { ConsumeRawOptions, ConsumedRecord, ProducedRecord, RawMessage } from './raw.js';
export { startKafkaCluster } from './cluster.js';
export type { KafkaCluster, StartKafkaClusterOptions } from './cluster.js';
export type { SecureEndpoints, SecureUser } from './harness.js';
