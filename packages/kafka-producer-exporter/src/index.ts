export { createKafkaExporter, type KafkaExporter } from './exporter.js';
export { kafkaExporterFactory } from './factory.js';
export {
  DEFAULTS,
  type KafkaExporterOptions,
  type KafkaConnectionOptions,
  type KafkaProducerOptions,
  type KafkaTlsOptions,
  type KafkaSaslOptions,
  type KafkaEncoding,
} from './options.js';
// Topic admin lives in the Kafka layer; re-exported so existing imports keep working.
export {
  ensureTopics,
  ENSURE_DEFAULTS,
  TopicError,
  type EnsureTopicsOptions,
  type TopicSpec,
  type EnsuredTopic,
} from '@otlp-kafka/kafka-client';
