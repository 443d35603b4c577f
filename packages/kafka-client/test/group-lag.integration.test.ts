import {
  consumeRaw,
  deleteTopic,
  freshGroup,
  freshTopic,
  kafkaBrokers,
  produceRaw,
} from '@otlp-kafka/testkit/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerCount, groupLag } from '../src/index.js';

const created: string[] = [];
afterEach(async () => {
  for (const t of created.splice(0)) await deleteTopic(t).catch(() => {});
});

describe('groupLag and brokerCount against Kafka', () => {
  it('reports the records a group has not committed, per partition', async () => {
    const topic = await freshTopic('kc-lag', { partitions: 2 });
    created.push(topic);
    await produceRaw(
      topic,
      [0, 0, 0, 1].map((partition, i) => ({ value: `v${i}`, partition })),
    );
    const groupId = freshGroup('kc-lag');
    const before = await groupLag({ brokers: kafkaBrokers(), groupId, topics: [topic] });
    expect(before.map((r) => [r.partition, r.committed, r.high, r.lag])).toEqual([
      [0, -1, 3, 3],
      [1, -1, 1, 1],
    ]);
    // consumeRaw commits what it returns: partition 0 fully read (3 records) and partition 1's one record.
    await consumeRaw(topic, { groupId, count: 4 });
    const after = await groupLag({ brokers: kafkaBrokers(), groupId, topics: [topic] });
    expect(after.map((r) => [r.partition, r.committed, r.lag])).toEqual([
      [0, 3, 0],
      [1, 1, 0],
    ]);
  });

  it('counts the brokers', async () => {
    expect(await brokerCount({ brokers: kafkaBrokers() })).toBeGreaterThanOrEqual(1);
  });
});
