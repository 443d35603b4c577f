// Topic and group helpers for tests: unique names, created and awaited through the admin client.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaJS } from '@confluentinc/kafka-javascript';
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

function kafka(brokers: string): KafkaJS.Kafka {
  return new KafkaJS.Kafka({
    kafkaJS: { brokers: brokers.split(',').map((b) => b.trim()), logLevel: KafkaJS.logLevel.ERROR },
  });
}

/** Runs fn with a connected admin client, disconnecting afterwards. */
export async function withAdmin<T>(
  brokers: string | undefined,
  fn: (admin: KafkaJS.Admin) => Promise<T>,
): Promise<T> {
  const admin = kafka(brokers ?? kafkaBrokers()).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a topic with a unique name and resolves once metadata shows every partition
 * with a leader (so the first produce does not race the creation).
 */
export async function freshTopic(prefix = 'test', options: FreshTopicOptions = {}): Promise<string> {
  const topic = uniqueName(prefix);
  const partitions = options.partitions ?? 1;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await withAdmin(options.brokers, async (admin) => {
    await admin.createTopics({
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
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const [meta] = await admin.fetchTopicMetadata({ topics: [topic], timeout: 5000 });
        if (meta && meta.partitions.length === partitions && meta.partitions.every((p) => p.leader >= 0))
          return;
      } catch {
        // Unknown topic until the controller's metadata reaches the broker: retry.
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic} not ready after ${timeoutMs} ms`);
      await sleep(100);
    }
  });
  return topic;
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
