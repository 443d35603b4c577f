import type KafkaJavascript from '@confluentinc/kafka-javascript';
import { PipelineError } from '@otlp-kafka/core';

/** The `@confluentinc/kafka-javascript` module (its node-rdkafka API at the top, `KafkaJS` inside). */
export type KafkaModule = typeof KafkaJavascript;

export type {
  DeliveryReport,
  LibrdKafkaError,
  Message,
  MessageHeader,
  NewTopic,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
  WatermarkOffsets,
} from '@confluentinc/kafka-javascript';

let loading: Promise<KafkaModule> | undefined;

/**
 * The native Kafka client, loaded on first use. Nothing in otlp-kafka imports
 * it at module load, so code that never talks to Kafka (config validation,
 * unit tests, the CLI's validate) works without librdkafka. A failed load is
 * not cached: the next call tries again.
 */
export function loadKafka(): Promise<KafkaModule> {
  const pending = (loading ??= import('@confluentinc/kafka-javascript').then(
    // A CommonJS module: its exports are the default export.
    (m) => m.default,
    (e: unknown) => {
      loading = undefined;
      throw new PipelineError(
        'ERR_KAFKA_CLIENT',
        `cannot load the Kafka client @confluentinc/kafka-javascript: ${String(e)}`,
        { cause: e },
      );
    },
  ));
  return pending;
}
