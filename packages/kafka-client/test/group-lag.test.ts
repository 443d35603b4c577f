import { describe, expect, it } from 'vitest';
import type { LibrdkafkaConfig } from '../src/connection.js';
import { formatLagTable, groupLagWith, type LagAdmin } from '../src/group-lag.js';

function fakeAdmin(
  committed: Record<string, Record<number, string>>,
  marks: Record<string, Array<[number, number]>>,
) {
  const calls: string[] = [];
  let config: LibrdkafkaConfig | undefined;
  const admin: LagAdmin = {
    connect: async () => void calls.push('connect'),
    disconnect: async () => void calls.push('disconnect'),
    fetchOffsets: async ({ topics }) =>
      Object.entries(committed)
        .filter(([t]) => !topics || topics.includes(t))
        .map(([topic, parts]) => ({
          topic,
          partitions: Object.entries(parts).map(([p, offset]) => ({ partition: Number(p), offset })),
        })),
    fetchTopicOffsets: async (topic) =>
      (marks[topic] ?? []).map(([low, high], partition) => ({
        partition,
        low: String(low),
        high: String(high),
      })),
  };
  const factory = (c: LibrdkafkaConfig) => {
    config = c;
    return admin;
  };
  return { factory, calls, config: () => config };
}

describe('groupLag', () => {
  it('is high watermark minus committed offset; partitions never committed count from the low watermark', async () => {
    const f = fakeAdmin(
      { b: { 0: '7' }, a: { 1: '10' } },
      {
        a: [
          [0, 5],
          [2, 12],
        ],
        b: [[0, 9]],
      },
    );
    const rows = await groupLagWith({ brokers: 'k:1', groupId: 'g' }, f.factory);
    expect(rows).toEqual([
      { topic: 'a', partition: 0, committed: -1, high: 5, low: 0, lag: 5 },
      { topic: 'a', partition: 1, committed: 10, high: 12, low: 2, lag: 2 },
      { topic: 'b', partition: 0, committed: 7, high: 9, low: 0, lag: 2 },
    ]);
    expect(f.calls).toEqual(['connect', 'disconnect']);
  });

  it('lists the asked topics even when the group committed nothing there', async () => {
    const f = fakeAdmin({}, { t: [[3, 8]] });
    expect(await groupLagWith({ groupId: 'g', topics: ['t'] }, f.factory)).toEqual([
      { topic: 't', partition: 0, committed: -1, high: 8, low: 3, lag: 5 },
    ]);
  });

  it('connects with the shared connection options', async () => {
    const f = fakeAdmin({}, {});
    await groupLagWith(
      {
        brokers: ['a:1', 'b:2'],
        groupId: 'g',
        sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' },
        connectTimeoutMs: 2000,
      },
      f.factory,
    );
    expect(f.config()).toMatchObject({
      'bootstrap.servers': 'a:1,b:2',
      'security.protocol': 'sasl_plaintext',
      'sasl.username': 'u',
      'socket.connection.setup.timeout.ms': 2000,
    });
  });

  it('validates its options', async () => {
    const f = fakeAdmin({}, {});
    await expect(groupLagWith({ groupId: '' }, f.factory)).rejects.toThrow(
      /groupLag: invalid options: groupId/,
    );
  });

  it('formats a table with a total', () => {
    const table = formatLagTable('g', [
      { topic: 't', partition: 0, committed: -1, high: 5, low: 0, lag: 5 },
      { topic: 't', partition: 1, committed: 3, high: 4, low: 0, lag: 1 },
    ]);
    expect(table.split('\n')).toEqual([
      'GROUP  TOPIC    PARTITION  COMMITTED  HIGH  LAG',
      'g      t        0          -          5     5',
      'g      t        1          3          4     1',
      'g      (total)                              6',
    ]);
  });
});
