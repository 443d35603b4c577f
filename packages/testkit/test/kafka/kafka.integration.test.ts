// Records survive a broker restart; a consumer group resumes exactly at its
// committed offsets; reading from the beginning still returns every record.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  committedOffsets,
  consumeRaw,
  deleteTopic,
  freshGroup,
  freshTopic,
  kafkaBrokers,
  produceRaw,
  startKafkaCluster,
} from '@otlp-kafka/testkit/kafka';
import type { ConsumedRecord, KafkaCluster } from '@otlp-kafka/testkit/kafka';

const TOTAL = 10_000;
const PARTITIONS = 3;
const FIRST_READ = 6_000;

const ids = (records: readonly ConsumedRecord[]): number[] =>
  records.map((r) => Number(r.value!.toString().slice('record-'.length)));

describe('shared cluster helpers', () => {
  test('freshTopic, produceRaw and consumeRaw round-trip keys, values, headers and partitions', async () => {
    const brokers = kafkaBrokers();
    expect(brokers).toMatch(/^[^,:]+:\d+(,[^,:]+:\d+)*$/);
    const topic = await freshTopic('testkit-roundtrip', { partitions: 2 });
    const produced = await produceRaw(topic, [
      { key: 'a', value: 'one', headers: { h1: 'x' }, partition: 0 },
      { key: Buffer.from([0, 1]), value: Buffer.from([2, 3]), partition: 1 },
      { value: null, partition: 1 },
    ]);
    expect(produced).toEqual([
      { partition: 0, offset: 0 },
      { partition: 1, offset: 0 },
      { partition: 1, offset: 1 },
    ]);
    const got = await consumeRaw(topic, { count: 3, timeoutMs: 60_000 });
    const byPos = new Map(got.map((r) => [`${r.partition}/${r.offset}`, r]));
    expect(byPos.get('0/0')).toMatchObject({
      key: Buffer.from('a'),
      value: Buffer.from('one'),
      headers: [['h1', Buffer.from('x')]],
    });
    expect(byPos.get('1/0')).toMatchObject({ key: Buffer.from([0, 1]), value: Buffer.from([2, 3]) });
    expect(byPos.get('1/1')).toMatchObject({ key: null, value: null });
    // Resolves only once metadata no longer lists the topic (throws after its timeout).
    await deleteTopic(topic);
  });

  test('freshTopic and freshGroup names are unique and legal', async () => {
    const a = freshGroup('g');
    const b = freshGroup('g');
    expect(a).not.toBe(b);
    const topic = await freshTopic('bad name/with*chars');
    expect(topic).toMatch(/^[a-zA-Z0-9._-]+$/);
    await deleteTopic(topic);
  });
});

describe('durability across a broker restart (own single-node cluster)', () => {
  let cluster: KafkaCluster;

  beforeAll(async () => {
    // A private cluster: restarting the shared node would disturb other tests.
    cluster = await startKafkaCluster({ nodes: 1 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('10,000 acks=all records: group resumes at committed offsets after restart, all present from the beginning', async () => {
    const brokers = cluster.brokers;
    const topic = await freshTopic('durability', { partitions: PARTITIONS, brokers });
    const messages = Array.from({ length: TOTAL }, (_, i) => ({ key: `key-${i}`, value: `record-${i}` }));
    const produced = await produceRaw(topic, messages, { brokers });
    expect(produced).toHaveLength(TOTAL);
    // Offsets per partition are dense 0..n-1: every record acknowledged exactly once.
    for (let p = 0; p < PARTITIONS; p++) {
      const offsets = produced
        .filter((r) => r.partition === p)
        .map((r) => r.offset)
        .sort((a, b) => a - b);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }

    const group = freshGroup('durability');
    const first = await consumeRaw(topic, { brokers, groupId: group, count: FIRST_READ, timeoutMs: 90_000 });
    expect(first).toHaveLength(FIRST_READ);
    expect(new Set(ids(first)).size).toBe(FIRST_READ);
    const committed = await committedOffsets(group, topic, { brokers });
    for (let p = 0; p < PARTITIONS; p++) {
      const read = first.filter((r) => r.partition === p);
      // Each partition was read as a prefix, and exactly that prefix is committed.
      expect(read.map((r) => r.offset)).toEqual(read.map((_, i) => i));
      expect(committed.get(p) ?? -1).toBe(read.length > 0 ? read.length : -1);
    }

    await cluster.restart(0);

    const rest = await consumeRaw(topic, {
      brokers,
      groupId: group,
      count: TOTAL - FIRST_READ,
      timeoutMs: 90_000,
    });
    expect(rest).toHaveLength(TOTAL - FIRST_READ);
    for (const r of rest) expect(r.offset).toBeGreaterThanOrEqual(committed.get(r.partition) ?? 0);
    const firstIds = new Set(ids(first));
    expect(ids(rest).filter((id) => firstIds.has(id))).toEqual([]);
    expect(new Set([...ids(first), ...ids(rest)]).size).toBe(TOTAL);

    // Nothing is redelivered past the committed offsets: a marker appended to every
    // partition must be the very next record the group sees there.
    await produceRaw(
      topic,
      Array.from({ length: PARTITIONS }, (_, p) => ({ value: `marker-${p}`, partition: p })),
      { brokers },
    );
    const after = await consumeRaw(topic, { brokers, groupId: group, count: PARTITIONS, timeoutMs: 90_000 });
    expect(after.map((r) => r.value!.toString()).sort()).toEqual(
      Array.from({ length: PARTITIONS }, (_, p) => `marker-${p}`),
    );

    const all = await consumeRaw(topic, {
      brokers,
      groupId: freshGroup('from-beginning'),
      fromBeginning: true,
      count: TOTAL + PARTITIONS,
      timeoutMs: 90_000,
    });
    const recordIds = ids(all.filter((r) => r.value!.toString().startsWith('record-')));
    expect(recordIds).toHaveLength(TOTAL);
    expect(new Set(recordIds).size).toBe(TOTAL);
    expect(Math.min(...recordIds)).toBe(0);
    expect(Math.max(...recordIds)).toBe(TOTAL - 1);
  });
});
