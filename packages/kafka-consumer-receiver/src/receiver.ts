import { parseOptions } from '@otlp-kafka/core';
import { createNativeConsumer } from './internal/client.js';
import { createNativeDeadLetterSink } from './internal/dead-letter.js';
import { KafkaReceiverImpl, type KafkaReceiver } from './internal/kafka-receiver.js';
import { optionsSchema, type KafkaReceiverOptions } from './options.js';

export type { KafkaReceiver } from './internal/kafka-receiver.js';

/**
 * A Kafka consumer group member that reads OTLP records and delivers them to
 * the connected pipelines, committing an offset only once that record and
 * every earlier one of its partition were acknowledged downstream.
 */
export function createKafkaReceiver(options: KafkaReceiverOptions = {}): KafkaReceiver {
  const parsed = parseOptions('kafka-consumer-receiver', optionsSchema, options);
  return new KafkaReceiverImpl(parsed, options, {
    consumerFactory: createNativeConsumer,
    deadLetterFactory: createNativeDeadLetterSink,
  });
}
