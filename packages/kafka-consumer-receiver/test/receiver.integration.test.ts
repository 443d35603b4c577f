// Against the real local Kafka (testkit global setup): a fresh topic and group per test.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ok, permanent, retryable, type Batch, type Consumer, type Outcome } from '@otlp-kafka/core';
import {
  committedOffsets,
  consumeRaw,
  freshGroup,
  freshTopic,
  kafkaBrokers,
  produceRaw,
} from '@otlp-kafka/testkit/kafka';
import {
  createKafkaReceiver,
  DEAD_LETTER_HEADERS,
  type KafkaReceiver,
  type KafkaReceiverOptions,
} from '../src/index.js';
import { corruptTraceRequest, spanNames, traceRequest } from './helpers/otlp.js';

const running: KafkaReceiver[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.shutdown()));
});

/** Records every span name it accepted, and how often; `answer` decides each outcome. */
class RecordingSink implements Consumer {
  readonly seen = new Map<string, number>();
  calls = 0;
  constructor(public answer: (batch: Batch) => Outcome | Promise<Outcome> = () => ok()) {}

  async consume(batch: Batch): Promise<Outcome> {
    this.calls++;
    const outcome = await this.answer(batch);
    if (outcome.isOk()) for (const n of spanNames(batch)) this.seen.set(n, (this.seen.get(n) ?? 0) + 1);
    return outcome;
  }

  get duplicates(): number {
    return [...this.seen.values()].reduce((a, n) => a + n - 1, 0);
  }
}

async function start(sink: Consumer, options: KafkaReceiverOptions): Promise<KafkaReceiver> {
  const receiver = createKafkaReceiver({
    brokers: kafkaBrokers(),
    signal: 'traces',
    initialOffset: 'earliest',
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 500,
    autoCommit: { enable: true, intervalMs: 200 },
    errorBackoff: { initialIntervalMs: 100, maxIntervalMs: 500 },
    ...options,
  });
  receiver.connect('traces', sink);
  running.push(receiver);
  await receiver.start();
  return receiver;
}

/** `count` records of `spansPer` spans each, named r<i>-s<j>, spread over `partitions`. */
async function produceSpans(
  topic: string,
  from: number,
  count: number,
  partitions: number,
  spansPer = 3,
): Promise<string[]> {
  const ids: string[] = [];
  const messages = Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const names = Array.from({ length: spansPer }, (_, j) => `r${i}-s${j}`);
    ids.push(...names);
    return { value: traceRequest(names), partition: i % partitions };
  });
  await produceRaw(topic, messages);
  return ids;
}

async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function highWatermarks(topic: string, partitions: number): Promise<Map<number, number>> {
  const { RdKafka } = await import('@confluentinc/kafka-javascript');
  const c = new RdKafka.KafkaConsumer(
    { 'bootstrap.servers': kafkaBrokers(), 'group.id': freshGroup('hw'), log_level: 3 },
    {},
  );
  await new Promise<void>((res, rej) => c.connect({}, (e) => (e ? rej(e) : res())));
  try {
    const out = new Map<number, number>();
    for (let p = 0; p < partitions; p++) {
      const wm = await new Promise<{ highOffset: number }>((res, rej) =>
        c.queryWatermarkOffsets(topic, p, 5000, (e, o) => (e ? rej(e) : res(o))),
      );
      out.set(p, wm.highOffset);
    }
    return out;
  } finally {
    await new Promise<void>((res) => c.disconnect(() => res()));
  }
}

const missing = (ids: readonly string[], ...sinks: RecordingSink[]): string[] =>
  ids.filter((id) => !sinks.some((s) => s.seen.has(id)));

describe('kafka receiver against real Kafka', () => {
  it('delivers every item of every record and commits exactly what was delivered', async () => {
    const topic = await freshTopic('kcr-all', { partitions: 3 });
    const groupId = freshGroup('kcr-all');
    const ids = await produceSpans(topic, 0, 60, 3);
    const sink = new RecordingSink();
    const receiver = await start(sink, { topic, groupId, maxInFlightMessages: 16 });
    await waitFor(() => missing(ids, sink).length === 0, 60_000, 'all spans delivered');
    await receiver.shutdown();
    expect(sink.seen.size).toBe(ids.length);
    expect(sink.duplicates).toBe(0);
    expect(await committedOffsets(groupId, topic)).toEqual(await highWatermarks(topic, 3));
  });

  it('commits nothing past what was delivered while the pipeline refuses, then drains with no loss', async () => {
    const topic = await freshTopic('kcr-retry', { partitions: 1 });
    const groupId = freshGroup('kcr-retry');
    const ids = await produceSpans(topic, 0, 12, 1, 2);
    let up = false;
    const sink = new RecordingSink((batch) => {
      const record = Number(/^r(\d+)-/.exec(spanNames(batch)[0]!)![1]);
      return record < 4 || up ? ok() : retryable('backend answers 503');
    });
    const receiver = await start(sink, { topic, groupId, autoCommit: { enable: false } });
    await waitFor(
      async () => (await committedOffsets(groupId, topic)).get(0) === 4,
      30_000,
      'first four committed',
    );
    await sleep(2500);
    expect((await committedOffsets(groupId, topic)).get(0)).toBe(4);
    expect(sink.calls).toBeGreaterThan(12);
    const [lag] = await receiver.lag();
    expect(lag).toMatchObject({ topic, partition: 0, highWatermark: 12, committedOffset: 4, lag: 8 });

    up = true;
    await waitFor(
      async () => (await committedOffsets(groupId, topic)).get(0) === 12,
      30_000,
      'backlog drained',
    );
    expect(missing(ids, sink)).toEqual([]);
    expect((await receiver.lag())[0]!.lag).toBe(0);
  });

  it('sends poison records to the dead-letter topic and keeps the partition moving', async () => {
    const topic = await freshTopic('kcr-poison', { partitions: 1 });
    const dlq = await freshTopic('kcr-poison-dlq', { partitions: 1 });
    const groupId = freshGroup('kcr-poison');
    const garbage = Buffer.from('definitely not an OTLP request');
    await produceRaw(topic, [
      { value: traceRequest(['before']) },
      { value: garbage, headers: { origin: 'fuzzer' } },
      { value: traceRequest(['refused']) },
      { value: traceRequest(['after']) },
    ]);
    const sink = new RecordingSink((batch) =>
      spanNames(batch).includes('refused') ? permanent('schema violation') : ok(),
    );
    await start(sink, { topic, groupId, deadLetterTopic: dlq, autoCommit: { enable: false } });
    await waitFor(
      async () => (await committedOffsets(groupId, topic)).get(0) === 4,
      30_000,
      'partition moved past the poison',
    );
    expect([...sink.seen.keys()].sort()).toEqual(['after', 'before']);

    const letters = await consumeRaw(dlq, { count: 2, timeoutMs: 20_000 });
    expect(letters).toHaveLength(2);
    const byOffset = new Map(
      letters.map((l) => [Number(header(l.headers, DEAD_LETTER_HEADERS.sourceOffset)), l]),
    );
    const undecodable = byOffset.get(1)!;
    expect(undecodable.value).toEqual(garbage);
    expect(header(undecodable.headers, 'origin')).toBe('fuzzer');
    expect(header(undecodable.headers, DEAD_LETTER_HEADERS.sourceTopic)).toBe(topic);
    expect(header(undecodable.headers, DEAD_LETTER_HEADERS.sourcePartition)).toBe('0');
    expect(header(undecodable.headers, DEAD_LETTER_HEADERS.errorCode)).toBe('ERR_INVALID_DATA');
    expect(Date.parse(header(undecodable.headers, DEAD_LETTER_HEADERS.failedAt)!)).toBeGreaterThan(0);
    const refused = byOffset.get(2)!;
    expect(spanNames(refused.value!)).toEqual(['refused']);
    expect(header(refused.headers, DEAD_LETTER_HEADERS.error)).toBe('schema violation');
  });

  it('validates records deeply: a 3-byte trace id goes to the dead-letter topic, every valid span arrives', async () => {
    const topic = await freshTopic('kcr-deep', { partitions: 1 });
    const dlq = await freshTopic('kcr-deep-dlq', { partitions: 1 });
    const groupId = freshGroup('kcr-deep');
    const ids = await produceSpans(topic, 0, 5, 1);
    const bad = corruptTraceRequest('bad1', 'short-trace-id');
    const [badAt] = await produceRaw(topic, [{ value: bad, key: 'bad' }]);
    ids.push(...(await produceSpans(topic, 5, 5, 1)));
    const sink = new RecordingSink();
    await start(sink, { topic, groupId, deadLetterTopic: dlq, autoCommit: { enable: false } });
    await waitFor(
      async () => (await committedOffsets(groupId, topic)).get(0) === 11,
      30_000,
      'partition moved past the bad record',
    );
    expect(missing(ids, sink)).toEqual([]);
    expect(sink.seen.has('bad1')).toBe(false);
    const [letter] = await consumeRaw(dlq, { count: 1, timeoutMs: 20_000 });
    expect(letter!.value).toEqual(bad);
    expect(letter!.key?.toString('utf8')).toBe('bad');
    expect(header(letter!.headers, DEAD_LETTER_HEADERS.sourceOffset)).toBe(String(badAt!.offset));
    expect(header(letter!.headers, DEAD_LETTER_HEADERS.errorCode)).toBe('ERR_INVALID_DATA');
    expect(header(letter!.headers, DEAD_LETTER_HEADERS.error)).toMatch(/trace_id: 3 bytes/);
  });

  it.each(['cooperative-sticky', 'range'] as const)(
    'a second receiver joining the group takes over partitions with nothing lost (%s)',
    async (strategy) => {
      const partitions = 4;
      const topic = await freshTopic('kcr-join', { partitions });
      const groupId = freshGroup('kcr-join');
      const slow = () => sleep(5).then(() => ok());
      const first = new RecordingSink(slow);
      const second = new RecordingSink(slow);
      const ids = await produceSpans(topic, 0, 200, partitions, 2);
      const common = {
        topic,
        groupId,
        maxInFlightMessages: 8,
        revokeTimeoutMs: 5000,
        rebalanceStrategy: strategy,
      };
      const a = await start(first, common);
      await waitFor(() => first.seen.size > 20, 30_000, 'first receiver busy');
      const b = await start(second, common);
      await waitFor(async () => (await b.lag()).length > 0, 30_000, 'second receiver assigned');
      ids.push(...(await produceSpans(topic, 200, 200, partitions, 2)));
      await waitFor(() => missing(ids, first, second).length === 0, 90_000, 'all spans delivered');
      expect(second.seen.size).toBeGreaterThan(0);
      const owned = [...(await a.lag()), ...(await b.lag())].map((l) => l.partition).sort();
      expect(owned).toEqual([0, 1, 2, 3]);
      await Promise.all([a.shutdown(), b.shutdown()]);
      expect(await committedOffsets(groupId, topic)).toEqual(await highWatermarks(topic, partitions));
    },
  );

  it('hands each batch the coordinates of its real record in metadata.kafka', async () => {
    const topic = await freshTopic('kcr-coords', { partitions: 2 });
    const before = Date.now();
    const [first, second] = await produceRaw(topic, [
      { value: traceRequest(['keyed']), key: 'trace-42', partition: 1, headers: { Tenant: 'acme' } },
      { value: traceRequest(['unkeyed']), partition: 1 },
    ]);
    const after = Date.now();
    const batches = new Map<string, Batch>();
    const sink = new RecordingSink((batch) => {
      batches.set(spanNames(batch)[0]!, batch);
      return ok();
    });
    await start(sink, { topic, groupId: freshGroup('kcr-coords') });
    await waitFor(() => batches.size === 2, 30_000, 'both records delivered');
    const keyed = batches.get('keyed')!.metadata.kafka!;
    expect(keyed).toMatchObject({
      topic,
      partition: 1,
      firstOffset: first!.offset,
      lastOffset: first!.offset,
    });
    expect(Buffer.from(keyed.key!).toString('utf8')).toBe('trace-42');
    expect(keyed.timestampMs).toBeGreaterThanOrEqual(before - 1000);
    expect(keyed.timestampMs).toBeLessThanOrEqual(after + 1000);
    expect(keyed.headers?.map((h) => [h.key, Buffer.from(h.value).toString('utf8')])).toEqual([
      ['Tenant', 'acme'],
    ]);
    const unkeyed = batches.get('unkeyed')!.metadata.kafka!;
    expect(unkeyed).toMatchObject({ topic, partition: 1, firstOffset: second!.offset });
    expect(unkeyed.key).toBeUndefined();
    expect(unkeyed.headers).toBeUndefined();
  });

  it('subscribes to a ^ regular expression', async () => {
    const prefix = `kcr-regex-${Date.now().toString(36)}`;
    const t1 = await freshTopic(`${prefix}-a`);
    const t2 = await freshTopic(`${prefix}-b`);
    const ids = [...(await produceSpans(t1, 0, 3, 1)), ...(await produceSpans(t2, 3, 3, 1))];
    const sink = new RecordingSink();
    await start(sink, { topic: `^${prefix}-.*`, groupId: freshGroup('kcr-regex') });
    await waitFor(() => missing(ids, sink).length === 0, 30_000, 'both topics read');
  });

  it('after a shutdown with records still unacknowledged, a new receiver replays the uncommitted tail', async () => {
    const topic = await freshTopic('kcr-replay', { partitions: 1 });
    const groupId = freshGroup('kcr-replay');
    const ids = await produceSpans(topic, 0, 10, 1, 1);
    // The first pipeline accepts records 0..5 and never answers for the rest.
    const hang = new Promise<Outcome>(() => {});
    const first = new RecordingSink((batch) =>
      Number(/^r(\d+)-/.exec(spanNames(batch)[0]!)![1]) < 6 ? ok() : hang,
    );
    const a = await start(first, { topic, groupId, shutdownTimeoutMs: 1000, autoCommit: { enable: false } });
    await waitFor(
      () => first.seen.size === 6 && first.calls === 10,
      30_000,
      'first receiver stuck at record 6',
    );
    await a.shutdown();
    expect((await committedOffsets(groupId, topic)).get(0)).toBe(6);

    const second = new RecordingSink();
    await start(second, { topic, groupId });
    await waitFor(() => second.seen.size === 4, 30_000, 'tail replayed');
    expect([...second.seen.keys()]).toEqual(ids.slice(6));
    expect(missing(ids, first, second)).toEqual([]);
  });
});

function header(headers: ReadonlyArray<readonly [string, Buffer]>, name: string): string | undefined {
  return headers.find(([k]) => k === name)?.[1].toString('utf8');
}
