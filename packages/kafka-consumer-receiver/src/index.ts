// @otlp-kafka/kafka-consumer-receiver: Kafka consumer groups reading OTLP, committing only what was delivered.
export { createKafkaReceiver, type KafkaReceiver } from './receiver.js';
export { kafkaReceiverFactory } from './factory.js';
export {
  DEFAULTS,
  type KafkaReceiverOptions,
  type KafkaEncoding,
  type RebalanceStrategy,
  type SignalTopicsOptions,
  type LibrdkafkaValue,
} from './options.js';
export type { PartitionLag } from './internal/lag.js';
export type { BatchHandler } from './internal/handler.js';
export { DEAD_LETTER_HEADERS } from './internal/dead-letter.js';
export { HEADER_ATTRIBUTE_PREFIX } from './internal/decode.js';
