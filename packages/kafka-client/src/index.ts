// @otlp-kafka/kafka-client: the one Kafka layer (connection, TLS/SASL, librdkafka options, topic admin, group lag).
export {
  connectionShape,
  librdkafkaSchema,
  normalizeBrokers,
  DEFAULT_BROKERS,
  type KafkaConnectionOptions,
  type KafkaTlsOptions,
  type KafkaSaslOptions,
  type KafkaSaslPasswordOptions,
  type KafkaSaslOauthbearerOptions,
  type LibrdkafkaConfig,
  type LibrdkafkaValue,
  type OwnedKey,
  type ResolvedConnection,
} from './connection.js';
export { clientConfig, connectionConfig, securityProtocolOf, tlsEnabled } from './librdkafka-config.js';
export { DEFAULT_TOPICS, SEED_TOPICS, KAFKA_ENCODINGS, type KafkaEncoding } from './topics.js';
export { RD, rdCodeName } from './codes.js';
export {
  classifyConnectLog,
  connectFailureError,
  explainConnectFailures,
  isConnectFailure,
  type ConnectFailureError,
  type ConnectFailureKind,
} from './connect-failure.js';
export {
  loadKafka,
  type KafkaModule,
  type DeliveryReport,
  type LibrdKafkaError,
  type Message,
  type MessageHeader,
  type NewTopic,
  type TopicDescription,
  type TopicPartition,
  type TopicPartitionOffset,
  type WatermarkOffsets,
} from './native.js';
export { ensureTopics, ENSURE_DEFAULTS, type EnsureTopicsOptions, type TopicSpec } from './admin.js';
export { TopicError, type EnsuredTopic } from './topic-result.js';
export {
  groupLag,
  formatLagTable,
  GROUP_LAG_DEFAULTS,
  type GroupLagOptions,
  type PartitionLagRow,
} from './group-lag.js';
export { brokerCount, BROKER_COUNT_DEFAULTS } from './cluster.js';
export {
  kafkaConnectionConfig,
  kafkaTlsConfig,
  kafkaAuthConfig,
  kafkaBrokersConfig,
  kafkaEncodingConfig,
  librdkafkaConfig,
  connectionOfConfig,
  connectionOfSection,
  type KafkaConnectionConfig,
} from './yaml.js';
