import { deleteTopic, freshTopic, kafkaBrokers } from '@otlp-kafka/testkit/kafka';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTopics } from '../src/index.js';

const created: string[] = [];
afterEach(async () => {
  for (const t of created.splice(0)) await deleteTopic(t).catch(() => {});
});

const name = (p: string) => {
  const t = `${p}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  created.push(t);
  return t;
};

describe('ensureTopics against Kafka', () => {
  it('creates topics once and reports them as existing afterwards', async () => {
    const brokers = kafkaBrokers().split(',');
    const a = name('kc-ensure-a');
    const b = name('kc-ensure-b');
    const topics = [
      {
        topic: a,
        partitions: 3,
        replicationFactor: 1,
        config: { 'retention.ms': 3_600_000, 'retention.bytes': 100_000_000 },
      },
      { topic: b },
    ];
    const first = await ensureTopics({ brokers, topics });
    expect(first.map((r) => r.unwrap().status)).toEqual(['created', 'created']);
    const second = await ensureTopics({ brokers, topics });
    expect(second.map((r) => r.unwrap().status)).toEqual(['exists', 'exists']);
    expect(second[0]!.unwrap()).toMatchObject({ partitions: 3, replicationFactor: 1 });
  });

  it('reports fewer partitions than asked, grows them only when told, and leaves more alone', async () => {
    const brokers = kafkaBrokers().split(',');
    const topic = await freshTopic('kc-ensure-mismatch', { partitions: 2 });
    created.push(topic);
    const [mismatch] = await ensureTopics({ brokers, topics: [{ topic, partitions: 4 }] });
    expect(mismatch!.isErr()).toBe(true);
    expect(mismatch!.isErr() && mismatch!.error).toMatchObject({
      code: 'ERR_KAFKA_PARTITIONS_MISMATCH',
      topic,
    });
    expect(mismatch!.isErr() && mismatch!.error.message).toMatch(
      /has 2 partitions, 4 requested; partitions can only grow/,
    );

    const [grown] = await ensureTopics({
      brokers,
      topics: [{ topic, partitions: 4 }],
      increasePartitions: true,
    });
    expect(grown!.unwrap()).toMatchObject({ status: 'partitions_increased', partitions: 4 });

    // The broker's metadata catches up shortly after the increase.
    let after;
    for (let i = 0; i < 50; i++) {
      [after] = await ensureTopics({ brokers, topics: [{ topic, partitions: 1 }] });
      if (after!.isOk() && after!.value.partitions === 4) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(after!.unwrap()).toMatchObject({ status: 'exists', partitions: 4 });
    expect(after!.unwrap().notes[0]).toMatch(/has 4 partitions, 1 requested; partitions cannot be removed/);
  });

  it('returns an error per topic when Kafka cannot be reached', async () => {
    const [r] = await ensureTopics({
      brokers: ['127.0.0.1:1'],
      topics: [{ topic: 'never' }],
      timeoutMs: 1500,
    });
    expect(r!.isErr() && r!.error.code).toBe('ERR_KAFKA_ADMIN');
  });
});
