import type { z } from 'zod';
import type {
  batchSchema,
  kafkaReceiverSchema,
} from './schemas.js';
import type { kafkaAuth, kafkaTls } from './common.js';

// The one mapping layer: Collector snake_case config (already validated, with
// durations in ms) -> the camelCase options of each component's factory.

type Out<S extends z.ZodType> = z.output<S>;

const drop = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

// The Collector's kafka `tls` block: present means TLS on unless `insecure: true`.
function mapKafkaTls(tls: Out<typeof kafkaTls> | undefined, auth: Out<typeof kafkaAuth> | undefined) {
  const t = auth?.tls ?? tls;
  return t
    ? { caFile: t.ca_file, certFile: t.cert_file, keyFile: t.key_file, insecureSkipVerify: t.insecure_skip_verify, insecure: t.insecure ?? false }
    : undefined;
}

export function mapKafkaReceiver(c: Out<typeof kafkaReceiverSchema>) {
  return drop({
    brokers: c.brokers,
    clientId: c.client_id,
    topics: c.topics ?? (c.topic ? [c.topic] : undefined),
    encoding: c.encoding,
    groupId: c.group_id,
    groupInstanceId: c.group_instance_id,
    initialOffset: c.initial_offset,
    autoCommit: c.auto_commit ? drop({ enable: c.auto_commit.enable, intervalMs: c.auto_commit.interval }) : undefined,
    sessionTimeoutMs: c.session_timeout,
    heartbeatIntervalMs: c.heartbeat_interval,
    rebalanceStrategy: c.group_rebalance_strategy,
    minFetchBytes: c.min_fetch_size,
    maxPartitionFetchBytes: c.default_fetch_size,
    maxFetchBytes: c.max_fetch_size,
    maxFetchWaitMs: c.max_fetch_wait,
    headerExtraction: c.header_extraction
      ? drop({ extractHeaders: c.header_extraction.extract_headers, headers: c.header_extraction.headers })
      : undefined,
    errorBackoff: c.error_backoff
      ? drop({
          initialIntervalMs: c.error_backoff.initial_interval,
          maxIntervalMs: c.error_backoff.max_interval,
          multiplier: c.error_backoff.multiplier,
          randomizationFactor: c.error_backoff.randomization_factor,
        })
      : undefined,
    deadLetterTopic: c.dead_letter_topic,
    maxInFlightMessages: c.max_in_flight_messages,
    maxInFlightBytes: c.max_in_flight_bytes,
    tls: mapKafkaTls(c.tls, c.auth) ? drop(mapKafkaTls(c.tls, c.auth)!) : undefined,
    sasl: c.auth?.sasl,
    librdkafka: c.librdkafka,
  });
}

export function mapBatch(c: Out<typeof batchSchema>) {
  return drop({
    sendBatchSize: c.send_batch_size,
    sendBatchMaxSize: c.send_batch_max_size,
    timeoutMs: c.timeout,
    maxConcurrentSends: c.max_concurrent_sends,
    lingerMs: c.linger,
    metadataKeys: c.metadata_keys,
    metadataCardinalityLimit: c.metadata_cardinality_limit,
  });
}
