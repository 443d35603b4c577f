export { createKafkaExporter, type KafkaExporter } from './exporter.js';
export {
  DEFAULTS,
  type KafkaExporterOptions,
  type KafkaConnectionOptions,
  type KafkaProducerOptions,
  type KafkaTlsOptions,
  type KafkaSaslOptions,
  type KafkaEncoding,
} from './options.js';
export { ensureTopics, ENSURE_DEFAULTS, type EnsureTopicsOptions, type TopicSpec } from './admin.js';
export { TopicError, type EnsuredTopic } from './topic-result.js';
