import {
  explainConnectFailures,
  loadKafka,
  type LibrdKafkaError,
  type Message,
  type TopicPartition,
  type TopicPartitionOffset,
  type WatermarkOffsets,
} from '@otlp-kafka/kafka-client';
import type { LibrdkafkaConfig } from './librdkafka-config.js';

/** librdkafka's rebalance event codes. */
export const ERR_ASSIGN_PARTITIONS = -175;
export const ERR_REVOKE_PARTITIONS = -174;
/** Offset value meaning "none" (RD_KAFKA_OFFSET_INVALID). */
export const OFFSET_INVALID = -1001;

export type { LibrdKafkaError, Message, TopicPartition, TopicPartitionOffset, WatermarkOffsets };

/**
 * The part of the native KafkaConsumer (node-rdkafka API of
 * @confluentinc/kafka-javascript) the receiver uses. The unit tests implement
 * exactly this surface in memory.
 */
export interface ConsumerClient {
  connect(options: { timeout?: number }, cb: (err: LibrdKafkaError | null) => void): unknown;
  isConnected(): boolean;
  subscribe(topics: string[]): unknown;
  unsubscribe(): unknown;
  consume(count: number, cb: (err: LibrdKafkaError | null, messages: Message[]) => void): void;
  setDefaultConsumeTimeout(timeoutMs: number): void;
  assign(assignments: TopicPartition[]): unknown;
  unassign(): unknown;
  incrementalAssign(assignments: TopicPartition[]): unknown;
  incrementalUnassign(assignments: TopicPartition[]): unknown;
  assignmentLost(): boolean;
  rebalanceProtocol(): string;
  pause(partitions: TopicPartition[]): unknown;
  resume(partitions: TopicPartition[]): unknown;
  offsetsStore(offsets: TopicPartitionOffset[]): unknown;
  commitCb(offsets: TopicPartitionOffset[], cb: (err: LibrdKafkaError | null) => void): unknown;
  committed(
    partitions: TopicPartition[],
    timeoutMs: number,
    cb: (err: LibrdKafkaError | null, offsets: TopicPartitionOffset[]) => void,
  ): unknown;
  queryWatermarkOffsets(
    topic: string,
    partition: number,
    timeoutMs: number,
    cb: (err: LibrdKafkaError | null, offsets: WatermarkOffsets) => void,
  ): unknown;
  disconnect(cb: (err: unknown) => void): unknown;
  on(event: 'event.error', listener: (err: LibrdKafkaError) => void): unknown;
}

export interface ConsumerHooks {
  rebalance(err: LibrdKafkaError, assignment: TopicPartition[]): void;
  /** Every commit librdkafka performed (auto or explicit), with per-partition results. */
  offsetCommit(err: LibrdKafkaError | null | undefined, offsets: TopicPartitionOffset[]): void;
}

/** May be async: the native client is loaded on first use. Throws (or rejects) for configuration librdkafka refuses. */
export type ConsumerFactory = (
  config: LibrdkafkaConfig,
  hooks: ConsumerHooks,
) => ConsumerClient | Promise<ConsumerClient>;

/** The real consumer, loaded lazily: librdkafka with our rebalance callback (we assign and unassign ourselves). */
export const createNativeConsumer: ConsumerFactory = async (config, hooks) => {
  const KafkaJs = await loadKafka();
  const consumer = new KafkaJs.KafkaConsumer({
    ...config,
    rebalance_cb: (err: LibrdKafkaError, assignment: TopicPartition[]) => hooks.rebalance(err, assignment),
    offset_commit_cb: (err: LibrdKafkaError | null, offsets: TopicPartitionOffset[]) =>
      hooks.offsetCommit(err, offsets),
  });
  // After the first message of a poll, take only what is already fetched instead of waiting again.
  (
    consumer as unknown as { setDefaultIsTimeoutOnlyForFirstMessage?(v: boolean): void }
  ).setDefaultIsTimeoutOnlyForFirstMessage?.(true);
  // A broker refusing the credentials or the TLS handshake ends connect() at once, naming the cause
  // (librdkafka only logs it; connect() would report "broker transport failure" at its timeout).
  explainConnectFailures(consumer);
  // The typings lack the incremental (cooperative) rebalance methods and commitCb the binding has.
  return consumer as unknown as ConsumerClient;
};

/** Promise forms of the callback APIs. */
export function connectClient(client: ConsumerClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    client.connect({ timeout: timeoutMs }, (err) => (err ? reject(err) : resolve()));
  });
}

export function commitOffsets(client: ConsumerClient, offsets: TopicPartitionOffset[]): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      client.commitCb(offsets, (err) => (err ? reject(err) : resolve()));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

export function queryCommitted(
  client: ConsumerClient,
  partitions: TopicPartition[],
  timeoutMs: number,
): Promise<TopicPartitionOffset[]> {
  return new Promise((resolve, reject) => {
    try {
      client.committed(partitions, timeoutMs, (err, offsets) => (err ? reject(err) : resolve(offsets)));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

export function queryWatermarks(
  client: ConsumerClient,
  topic: string,
  partition: number,
  timeoutMs: number,
): Promise<WatermarkOffsets> {
  return new Promise((resolve, reject) => {
    try {
      client.queryWatermarkOffsets(topic, partition, timeoutMs, (err, offsets) =>
        err ? reject(err) : resolve(offsets),
      );
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

export function disconnectClient(client: ConsumerClient): Promise<void> {
  return new Promise((resolve) => {
    try {
      client.disconnect(() => resolve());
    } catch {
      resolve();
    }
  });
}

export function consumeBatch(client: ConsumerClient, count: number): Promise<Message[]> {
  return new Promise((resolve, reject) => {
    client.consume(count, (err, messages) => (err ? reject(err) : resolve(messages)));
  });
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}[${partition}]`;
}
