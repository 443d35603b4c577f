// Kafka-side views and operations the scenarios need: group membership, the
// group coordinator, offset resets for replay, and every item id stored in a topic.
import { KafkaJS, RdKafka } from '@confluentinc/kafka-javascript';
import { groupLag } from '@otlp-kafka/cli';
import type { Signal } from '@otlp-kafka/core';
import { createBatch } from '@otlp-kafka/pdata';
import { itemIds } from '@otlp-kafka/testkit';
import { consumeRaw, type ConsumedRecord } from '@otlp-kafka/testkit/kafka';

async function withAdmin<T>(brokers: string, fn: (admin: KafkaJS.Admin) => Promise<T>): Promise<T> {
  const admin = new KafkaJS.Kafka({
    kafkaJS: { brokers: brokers.split(','), logLevel: KafkaJS.logLevel.NOTHING },
  }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export interface GroupView {
  state: string;
  coordinator: number;
  /** Partitions owned by each member. */
  members: { memberId: string; partitions: number[] }[];
}

export async function describeGroup(brokers: string, group: string): Promise<GroupView> {
  return withAdmin(brokers, async (admin) => {
    const { groups } = await admin.describeGroups([group], { timeout: 10_000 });
    const g = groups[0];
    if (!g) throw new Error(`group ${group} not described`);
    return {
      state: String(g.state),
      coordinator: g.coordinator?.id ?? -1,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        partitions: m.assignment.topicPartitions.map((tp) => tp.partition),
      })),
    };
  });
}

/**
 * Sets an inactive group's committed offsets to the earliest retained records of
 * the topic — what `kafka-consumer-groups.sh --reset-offsets --to-earliest
 * --execute` does. Refuses while the group has members (stop the gateways first).
 */
export async function resetGroupToEarliest(
  brokers: string,
  group: string,
  topic: string,
): Promise<{ partition: number; offset: number }[]> {
  const view = await describeGroup(brokers, group);
  if (view.members.length > 0)
    throw new Error(`group ${group} is active (${view.members.length} members): stop its consumers first`);
  const targets = (await groupLag(brokers.split(','), group, [topic])).map((r) => ({
    topic,
    partition: r.partition,
    offset: r.low,
  }));
  const consumer = new RdKafka.KafkaConsumer(
    { 'bootstrap.servers': brokers, 'group.id': group, 'enable.auto.commit': false, log_level: 3 },
    {},
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())),
  );
  try {
    // A standalone commit (no subscription, no group join), as the Kafka tool does.
    consumer.commitSync(targets);
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  return targets.map(({ partition, offset }) => ({ partition, offset }));
}

/** Every record of a topic (read through a fresh group). */
export async function readTopic(brokers: string, topic: string): Promise<ConsumedRecord[]> {
  const rows = await groupLag(brokers.split(','), `e2e-read-${Date.now().toString(36)}`, [topic]);
  const total = rows.reduce((s, r) => s + r.high - r.low, 0);
  if (total === 0) return [];
  return consumeRaw(topic, { brokers, count: total, timeoutMs: 120_000 });
}

/** Item ids of a record holding an OTLP request; undefined when it does not decode. */
export function recordIds(signal: Signal, value: Buffer | null): string[] | undefined {
  if (!value) return undefined;
  const batch = createBatch(signal, value);
  if (batch.isErr()) return undefined;
  const ids = itemIds(batch.value);
  return ids.isOk() ? ids.value : undefined;
}
