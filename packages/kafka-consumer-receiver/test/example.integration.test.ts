// examples/consume-to-function.ts against the real local Kafka: a fresh topic, every span counted by id.
import { afterEach, describe, expect, it } from 'vitest';
import type { Batch } from '@otlp-kafka/core';
import { freshGroup, freshTopic, kafkaBrokers, produceRaw } from '@otlp-kafka/testkit/kafka';
import { run, type Running } from '../../../examples/consume-to-function.js';
import { spanNames, traceRequest } from './helpers/otlp.js';

const running: Running[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

/** `count` records of 3 spans each, named <prefix><i>-s<j>, keyed <prefix><i>, over `partitions`. */
async function produce(topic: string, prefix: string, count: number, partitions: number): Promise<string[]> {
  const records = Array.from({ length: count }, (_, i) => ({
    key: `${prefix}${i}`,
    names: [0, 1, 2].map((j) => `${prefix}${i}-s${j}`),
    partition: i % partitions,
  }));
  await produceRaw(
    topic,
    records.map((r) => ({ key: r.key, value: traceRequest(r.names), partition: r.partition })),
  );
  return records.flatMap((r) => r.names);
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('examples/consume-to-function.ts', () => {
  it('prints every batch with its coordinates; every span arrives by id, once', async () => {
    const topic = await freshTopic('kcr-example', { partitions: 2 });
    const ids = await produce(topic, 'r', 20, 2);
    const seen = new Map<string, number>();
    const lines: string[] = [];
    const onBatch = (batch: Batch): void => {
      for (const n of spanNames(batch)) seen.set(n, (seen.get(n) ?? 0) + 1);
    };
    const r = await run({
      brokers: kafkaBrokers(),
      topic,
      groupId: freshGroup('kcr-example'),
      onBatch,
      print: (l) => lines.push(l),
    });
    running.push(r);
    await until(() => ids.every((id) => seen.has(id)), 60_000, 'every span printed');
    await r.stop();
    expect(await r.done).toEqual({ batches: 20, spans: 60 });
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(lines).toHaveLength(20);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${topic}\\[1\\] offset \\d+ key=r1 at \\d{4}-.*: 3 spans$`)),
    );
  });

  it('stops by itself after --max-batches', async () => {
    const topic = await freshTopic('kcr-example-max', { partitions: 1 });
    await produce(topic, 'm', 10, 1);
    const r = await run({
      brokers: kafkaBrokers(),
      topic,
      groupId: freshGroup('kcr-example-max'),
      maxBatches: 3,
      print: () => {},
    });
    running.push(r);
    const { batches, spans } = await r.done;
    expect(batches).toBeGreaterThanOrEqual(3);
    expect(spans).toBe(batches * 3);
  });
});
