import { afterEach, describe, expect, it, vi } from 'vitest';
import { ok, partial, type Outcome } from '@otlp-kafka/core';
import { spanNames, traceRequest } from '../helpers/otlp.js';
import { setup, stop, TOPIC, until, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  if (h) await stop(h);
  h = undefined;
  vi.useRealTimers();
});

const settleAt = (harness: Harness, index: number, outcome: Outcome = ok()): void => {
  const [call] = harness.sink.calls.splice(index, 1);
  call!.settle(outcome);
};

describe('delivery and commits', () => {
  it('hands each batch its Kafka coordinates in metadata.kafka', async () => {
    h = await setup({}, { partitions: [0, 1] });
    h.produce(0, ['a']);
    h.kafka.produce(TOPIC, 1, traceRequest(['b']), [{ tenant: Buffer.from('acme') }], 4, {
      key: Buffer.from('k1'),
      timestamp: 1_700_000_000_000,
    });
    await until(() => h!.sink.calls.length === 2);
    const byName = new Map(h.sink.calls.map((c) => [spanNames(c.batch)[0], c.batch.metadata.kafka]));
    expect(byName.get('a')).toEqual({
      topic: TOPIC,
      partition: 0,
      firstOffset: 0,
      lastOffset: 0,
      timestampMs: 0,
    });
    expect(byName.get('b')).toEqual({
      topic: TOPIC,
      partition: 1,
      firstOffset: 4,
      lastOffset: 4,
      key: Buffer.from('k1'),
      timestampMs: 1_700_000_000_000,
      headers: [{ key: 'tenant', value: Buffer.from('acme') }],
    });
    h.sink.calls.splice(0).forEach((c) => c.settle(ok()));
  });

  it('keeps many records in flight and commits only the contiguous prefix of out-of-order acks', async () => {
    h = await setup({ autoCommit: { enable: false } });
    const offsets = [0, 1, 2, 3, 4].map((i) => h!.produce(0, [`s${i}`]));
    await until(() => h!.sink.calls.length === 5);
    expect(h.sink.calls.map((c) => spanNames(c.batch)[0])).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(offsets).toEqual([0, 1, 2, 3, 4]);

    // Calls are now [s0, s1, s2, s3, s4]: ack s2 and s1 first.
    settleAt(h, 2);
    settleAt(h, 1);
    await vi.advanceTimersByTimeAsync(10);
    expect(h.consumer.ofType('store')).toEqual([]);
    expect(h.committed(0)).toBeUndefined();

    settleAt(h, 0); // s0: 0, 1, 2 are done
    await until(() => h!.committed(0) === 3);
    expect(h.consumer.ofType('store').map((s) => s.offset)).toEqual([3]);

    settleAt(h, 1); // s4: a gap at s3 remains
    await vi.advanceTimersByTimeAsync(10);
    expect(h.committed(0)).toBe(3);

    settleAt(h, 0); // s3
    await until(() => h!.committed(0) === 5);
    expect(h.consumer.ofType('store').map((s) => s.offset)).toEqual([3, 5]);
    expect(await h.meter.sum('otelcol_receiver_accepted_spans')).toBe(5);
    expect(await h.meter.sum('otelcol_kafka_receiver_messages')).toBe(5);
    expect(await h.meter.sum('otelcol_kafka_receiver_offsets_committed')).toBe(2);
  });

  it('with auto commit, stores on acknowledgement and lets librdkafka commit only what was stored', async () => {
    h = await setup({ autoCommit: { enable: true, intervalMs: 5000 } });
    for (let i = 0; i < 4; i++) h.produce(0, [`s${i}`]);
    await until(() => h!.sink.calls.length === 4);
    settleAt(h, 0); // s0
    settleAt(h, 0); // s1
    settleAt(h, 1); // s3 done, s2 still pending
    await vi.advanceTimersByTimeAsync(10);
    expect(h.consumer.ofType('store').map((s) => s.offset)).toEqual([1, 2]);
    expect(h.committed(0)).toBeUndefined();
    // No explicit commit: the next auto commit carries the stored offset, nothing past it.
    expect(h.consumer.ofType('commit')).toEqual([]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.committed(0)).toBe(2);
    settleAt(h, 0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.committed(0)).toBe(4);
  });

  it('acknowledges a partial outcome and counts the rejected items', async () => {
    h = await setup({ autoCommit: { enable: false } });
    h.produce(0, ['a', 'b', 'c']);
    await until(() => h!.sink.calls.length === 1);
    settleAt(h, 0, partial(2, 'two spans too old'));
    await until(() => h!.committed(0) === 1);
    expect(await h.meter.sum('otelcol_receiver_accepted_spans')).toBe(1);
    expect(await h.meter.sum('otelcol_receiver_refused_spans')).toBe(2);
    expect(h.logs.some((l) => l.level === 'warn' && l.msg === 'pipeline rejected part of a record')).toBe(
      true,
    );
  });

  it('delivers each partition in order with records of several partitions in flight together', async () => {
    h = await setup({ autoCommit: { enable: false } }, { partitions: [0, 1, 2] });
    for (let i = 0; i < 3; i++) for (const p of [0, 1, 2]) h.produce(p, [`p${p}-${i}`]);
    await until(() => h!.sink.calls.length === 9);
    const names = h.sink.calls.map((c) => spanNames(c.batch)[0]!);
    for (const p of [0, 1, 2])
      expect(names.filter((n) => n.startsWith(`p${p}-`))).toEqual([`p${p}-0`, `p${p}-1`, `p${p}-2`]);
    while (h.sink.calls.length) settleAt(h, h.sink.calls.length - 1);
    await until(() => [0, 1, 2].every((p) => h!.committed(p) === 3));
  });

  it('keeps the Kafka headers in the batch metadata and extracts the configured ones into the resource', async () => {
    h = await setup({ headerExtraction: { extractHeaders: true, headers: ['tenant'] } });
    h.sink.auto = () => ok();
    h.produce(0, ['a'], [{ tenant: 'acme' }, { trace: 'x' }]);
    await until(() => h!.sink.settled.length === 1);
    const batch = h.sink.settled[0]!;
    expect(batch.metadata.headers).toEqual({ tenant: ['acme'], trace: ['x'] });
    expect(spanNames(batch)).toEqual(['a']);
    const { decodeRequest } = await import('@otlp-kafka/pdata');
    const attrs = decodeRequest('traces', batch.bytes).unwrap().resourceSpans[0]!.resource!.attributes;
    expect(attrs.find((a) => a.key === 'kafka.header.tenant')?.value?.stringValue).toBe('acme');
  });

  it('retries a failed explicit commit with the next store', async () => {
    h = await setup({ autoCommit: { enable: false } });
    h.consumer.failCommits = 1;
    h.sink.auto = () => ok();
    h.produce(0, ['a']);
    await until(() => h!.sink.settled.length === 1);
    await vi.advanceTimersByTimeAsync(10);
    expect(h.committed(0)).toBeUndefined();
    expect(h.logs.some((l) => l.msg?.startsWith('offset commit failed'))).toBe(true);
    h.produce(0, ['b']);
    await until(() => h!.committed(0) === 2);
  });
});

describe('flow control', () => {
  it('pauses every partition at the in-flight message budget and resumes once drained', async () => {
    h = await setup({ maxInFlightMessages: 8, autoCommit: { enable: false } }, { partitions: [0, 1] });
    for (let i = 0; i < 20; i++) h.produce(i % 2, [`s${i}`]);
    await until(() => h!.sink.calls.length === 8);
    const resumesBefore = h.consumer.ofType('resume').length;
    const pauses = h.consumer.ofType('pause');
    expect(pauses.flatMap((p) => p.partitions).sort()).toEqual([`${TOPIC}[0]`, `${TOPIC}[1]`]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.sink.calls.length).toBe(8);
    expect(await h.meter.sum('otelcol_kafka_receiver_paused_partitions')).toBe(2);
    expect(await h.meter.sum('otelcol_kafka_receiver_in_flight_messages')).toBe(8);

    settleAt(h, 0); // 7 in flight: above the resume point (3/4 of the budget)
    await vi.advanceTimersByTimeAsync(500);
    expect(h.consumer.ofType('resume')).toHaveLength(resumesBefore);
    expect(h.sink.calls.length).toBe(7);
    settleAt(h, 0); // 6 in flight: resume, fetch up to the budget again
    await until(() => h!.consumer.ofType('resume').length > resumesBefore);
    await until(() => h!.sink.calls.length === 8);
    // Drain everything: nothing is lost and all of it gets committed.
    for (let n = 0; n < 20 && h.sink.calls.length; n++) {
      while (h.sink.calls.length) settleAt(h, 0);
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(h.sink.settled.flatMap((b) => spanNames(b)).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `s${i}`).sort(),
    );
    await until(() => h!.committed(0) === 10 && h!.committed(1) === 10);
  });

  it('pauses at the in-flight byte budget', async () => {
    const size = traceRequest(['x']).length;
    h = await setup({ maxInFlightBytes: size * 2, maxPollMessages: 1 });
    for (let i = 0; i < 5; i++) h.produce(0, [`${i}`]);
    await until(() => h!.sink.calls.length === 2);
    const resumesBefore = h.consumer.ofType('resume').length;
    expect(h.consumer.ofType('pause')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(h.sink.calls.length).toBe(2);
    settleAt(h, 0);
    settleAt(h, 0);
    await until(
      () => h!.sink.calls.length === 2 && h!.consumer.ofType('resume').length === resumesBefore + 1,
    );
  });
});

describe('poll sizing', () => {
  it('asks a poll for no more records than the byte budget has room for', async () => {
    const size = traceRequest(['x']).length;
    h = await setup({ maxInFlightBytes: size * 3, maxPollMessages: 100 });
    for (let i = 0; i < 20; i++) h.produce(0, [`${i}`]);
    await until(() => h!.sink.calls.length === 3);
    await vi.advanceTimersByTimeAsync(3000);
    // 100 records per poll would have dispatched all 20 before the budget paused the partition.
    expect(h.sink.calls.length).toBe(3);
  });
});

describe('lag', () => {
  it('reports high watermark minus committed per owned partition, as a method and a gauge', async () => {
    h = await setup({ autoCommit: { enable: false }, lagIntervalMs: 1000 }, { partitions: [0, 1] });
    for (let i = 0; i < 10; i++) h.produce(0, [`s${i}`]);
    h.produce(1, ['only']);
    await until(() => h!.sink.calls.length === 11);
    const first4 = h.sink.calls.filter((c) => /^s[0-3]$/.test(spanNames(c.batch)[0]!));
    for (const c of first4) {
      h.sink.calls.splice(h.sink.calls.indexOf(c), 1);
      c.settle(ok());
    }
    await until(() => h!.committed(0) === 4);
    expect(await h.receiver.lag()).toEqual([
      { topic: TOPIC, partition: 0, highWatermark: 10, committedOffset: 4, lag: 6 },
      { topic: TOPIC, partition: 1, highWatermark: 1, committedOffset: undefined, lag: undefined },
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    const points = (await h.meter.read()).get('otelcol_kafka_receiver_offset_lag');
    expect(points).toEqual([
      { attributes: { group: 'otel-collector', topic: TOPIC, partition: 0 }, value: 6 },
    ]);
  });
});
