import { clientConfig, connectionConfig, type LibrdkafkaConfig as Config } from '@otlp-kafka/kafka-client';
import type { ParsedOptions } from '../options.js';

export type LibrdkafkaConfig = Config;

/**
 * The consumer's librdkafka configuration: the Kafka layer's connection
 * properties, the consumer's own, the pass-through (which may not touch what
 * the receiver owns, see OWNED_LIBRDKAFKA_KEYS). Offsets are stored only by
 * the receiver, on acknowledgement (enable.auto.offset.store=false, forced);
 * auto commit, when on, commits only those stored offsets.
 */
export function consumerConfig(o: ParsedOptions): LibrdkafkaConfig {
  const own: LibrdkafkaConfig = {
    'group.id': o.groupId,
    'enable.auto.commit': o.autoCommit.enable,
    'auto.commit.interval.ms': o.autoCommit.intervalMs,
    'auto.offset.reset': o.initialOffset,
    'session.timeout.ms': o.sessionTimeoutMs,
    'heartbeat.interval.ms': o.heartbeatIntervalMs,
    'fetch.min.bytes': o.minFetchBytes,
    'fetch.max.bytes': o.maxFetchBytes,
    'max.partition.fetch.bytes': o.maxPartitionFetchBytes,
    'fetch.wait.max.ms': o.maxFetchWaitMs,
    'partition.assignment.strategy': o.rebalanceStrategy,
    'enable.partition.eof': false,
  };
  // librdkafka rejects a fetch.max.bytes above receive.message.max.bytes - 512.
  if (o.maxFetchBytes + 512 > 100_000_000) own['receive.message.max.bytes'] = o.maxFetchBytes + 512;
  if (o.groupInstanceId !== undefined) own['group.instance.id'] = o.groupInstanceId;
  return clientConfig(o, own, { 'enable.auto.offset.store': false });
}

/** The dead-letter producer: acks from all in-sync replicas, idempotent, so an acknowledged record is durable. */
export function deadLetterProducerConfig(o: ParsedOptions): LibrdkafkaConfig {
  return {
    ...connectionConfig(o),
    'client.id': `${o.clientId}-dead-letter`,
    acks: -1,
    'enable.idempotence': true,
    'linger.ms': 5,
  };
}
