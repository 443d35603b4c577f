import type { LibrdkafkaValue, ParsedOptions } from '../options.js';

export type LibrdkafkaConfig = Record<string, LibrdkafkaValue>;

/** Broker connection and security, shared by the consumer and the dead-letter producer. */
export function connectionConfig(o: ParsedOptions): LibrdkafkaConfig {
  const config: LibrdkafkaConfig = { 'bootstrap.servers': o.brokers.join(','), 'client.id': o.clientId };
  const tls = o.tls !== undefined && o.tls.insecure !== true;
  if (o.sasl) {
    config['security.protocol'] = tls ? 'sasl_ssl' : 'sasl_plaintext';
    config['sasl.mechanisms'] = o.sasl.mechanism;
    config['sasl.username'] = o.sasl.username;
    config['sasl.password'] = o.sasl.password;
  } else if (tls) {
    config['security.protocol'] = 'ssl';
  }
  if (tls && o.tls) {
    if (o.tls.caFile) config['ssl.ca.location'] = o.tls.caFile;
    if (o.tls.certFile) config['ssl.certificate.location'] = o.tls.certFile;
    if (o.tls.keyFile) config['ssl.key.location'] = o.tls.keyFile;
    if (o.tls.insecureSkipVerify) {
      config['enable.ssl.certificate.verification'] = false;
      config['ssl.endpoint.identification.algorithm'] = 'none';
    }
  }
  return config;
}

/**
 * The consumer's librdkafka configuration. Offsets are stored only by the
 * receiver, on acknowledgement (enable.auto.offset.store=false); auto commit,
 * when on, commits only those stored offsets.
 */
export function consumerConfig(o: ParsedOptions): LibrdkafkaConfig {
  const config: LibrdkafkaConfig = {
    ...connectionConfig(o),
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
  if (o.maxFetchBytes + 512 > 100_000_000) config['receive.message.max.bytes'] = o.maxFetchBytes + 512;
  if (o.groupInstanceId !== undefined) config['group.instance.id'] = o.groupInstanceId;
  return { ...config, ...o.librdkafka, 'enable.auto.offset.store': false };
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
