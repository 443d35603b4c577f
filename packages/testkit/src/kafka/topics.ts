// Topic and group helpers for tests: unique names, created and awaited through the admin client.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { loadKafka } from '@otlp-kafka/kafka-client';
import { kafkaBrokers } from './brokers.js';

export interface KafkaTarget {
  /** Bootstrap servers; default kafkaBrokers(). */
  readonly brokers?: string;
}

export interface FreshTopicOptions extends KafkaTarget {
  /** Default 1. */
  readonly partitions?: number;
  /** Default: the broker's default.replication.factor (1 on one node, 3 on three). */
  readonly replicationFactor?: number;
  /** Topic-level configs, e.g. { 'retention.ms': '60000' }. */
  readonly config?: Readonly<Record<string, string>>;
  /** How long to wait for creation and leaders; default 30000. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Legal Kafka topic / group characters only, plus a time and random suffix. */
export function uniqueName(prefix: string): string {
  const clean = prefix.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 120) || 'test';
  return `${clean}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

// The native client is loaded on first use (through the Kafka layer), so tests that import
// testkit for its fakes never load librdkafka.
async function kafka(brokers: string): Promise<KafkaJS.Kafka> {
  const { KafkaJS } = await loadKafka();
  return new KafkaJS.Kafka({
    kafkaJS: { brokers: brokers.split(',').map((b) => b.trim()), logLevel: KafkaJS.logLevel.ERROR },
  });
}

/** Runs fn with a connected admin client, disconnecting afterwards. */
export async function withAdmin<T>(
  brokers: string | undefined,
  fn: (admin: KafkaJS.Admin) => Promise<T>,
): Promise<T> {
  const admin = (await kafka(brokers ?? kafkaBrokers())).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a topic with a unique name and resolves once every broker of the
 * bootstrap list shows every partition with a leader, so neither the first
 * produce nor the next admin call (which may ask any broker) races the creation.
 */
export async function freshTopic(prefix = 'test', options: FreshTopicOptions = {}): Promise<string> {
  const topic = uniqueName(prefix);
  const partitions = options.partitions ?? 1;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const brokers = options.brokers ?? kafkaBrokers();
  await withAdmin(brokers, (admin) =>
    admin.createTopics({
      timeout: timeoutMs,
      topics: [
        {
          topic,
          numPartitions: partitions,
          ...(options.replicationFactor !== undefined
            ? { replicationFactor: options.replicationFactor }
            : {}),
          configEntries: Object.entries(options.config ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
    }),
  );
  await waitForTopicOnEveryBroker(topic, partitions, brokers, Date.now() + timeoutMs);
  return topic;
}

/**
 * Metadata reaches each broker on its own (KRaft brokers replay the metadata
 * log independently), so one broker listing the topic says nothing of the
 * others. An admin client bootstrapped with a single address asks that broker:
 * each address of the list must show the topic with a leader per partition.
 */
async function waitForTopicOnEveryBroker(
  topic: string,
  partitions: number,
  brokers: string,
  deadline: number,
): Promise<void> {
  for (const address of brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)) {
    await withAdmin(address, async (admin) => {
      for (;;) {
        try {
          const [meta] = await admin.fetchTopicMetadata({ topics: [topic], timeout: 5000 });
          if (meta && meta.partitions.length === partitions && meta.partitions.every((p) => p.leader >= 0))
            return;
        } catch {
          // Unknown topic until the controller's metadata reaches this broker: retry.
        }
        if (Date.now() > deadline) throw new Error(`topic ${topic} not ready on broker ${address} in time`);
        await sleep(100);
      }
    });
  }
}

/**
 * Runs an admin call that names a topic, retrying "unknown topic or partition"
 * for a bounded time: the broker asked may not have the topic's metadata yet.
 */
export async function retryUnknownTopic<T>(
  call: () => Promise<T>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const unknown = /unknown topic or partition/i.test(String((error as Error)?.message ?? error));
      if (!unknown || Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/** A unique consumer group id. */
export function freshGroup(prefix = 'test-group'): string {
  return uniqueName(prefix);
}

/** Deletes a topic and waits until metadata no longer lists it. */
export async function deleteTopic(
  topic: string,
  options: KafkaTarget & { timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await withAdmin(options.brokers, async (admin) => {
    await admin.deleteTopics({ topics: [topic], timeout: timeoutMs });
    const deadline = Date.now() + timeoutMs;
    while ((await admin.listTopics({ timeout: 5000 })).includes(topic)) {
      if (Date.now() > deadline)
        throw new Error(`topic ${topic} still listed ${timeoutMs} ms after deletion`);
      await sleep(100);
    }
  });
}

/** Committed offsets of a group on a topic: partition -> next offset to read (-1: none). */
export async function committedOffsets(
  groupId: string,
  topic: string,
  options: KafkaTarget = {},
): Promise<Map<number, number>> {
  return withAdmin(options.brokers, async (admin) => {
    const res = await admin.fetchOffsets({ groupId, topics: [topic], timeout: 10_000 });
    const out = new Map<number, number>();
    for (const t of res) for (const p of t.partitions) out.set(p.partition, Number(p.offset));
    return out;
  });
}
