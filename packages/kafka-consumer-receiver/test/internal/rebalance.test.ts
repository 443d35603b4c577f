import { afterEach, describe, expect, it, vi } from 'vitest';
import { ok, retryable } from '@otlp-kafka/core';
import { spanNames } from '../helpers/otlp.js';
import { setup, stop, TOPIC, until, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  if (h) await stop(h);
  h = undefined;
  vi.useRealTimers();
});

const p = (n: number): string => `${TOPIC}[${n}]`;

describe('rebalance', () => {
  it('on revoke stops dispatching, waits for in-flight acknowledgements, commits, then releases', async () => {
    h = await setup({ autoCommit: { enable: true, intervalMs: 60_000 } }, { partitions: [0, 1] });
    h.produce(0, ['a']);
    h.produce(0, ['b']);
    h.produce(1, ['c']);
    await until(() => h!.sink.calls.length === 3);
    h.consumer.groupRevokes(TOPIC, [0]);
    await vi.advanceTimersByTimeAsync(100);
    // Still waiting: nothing unassigned, nothing committed yet.
    expect(h.consumer.ofType('unassign')).toEqual([]);
    h.produce(0, ['after-revoke']);
    await vi.advanceTimersByTimeAsync(100);
    expect(h.sink.calls.map((c) => spanNames(c.batch)[0])).toEqual(['a', 'b', 'c']);

    const [a, b] = h.sink.calls.splice(0, 2);
    expect([a, b].map((x) => spanNames(x!.batch)[0])).toEqual(['a', 'b']);
    b!.settle(ok());
    await vi.advanceTimersByTimeAsync(100);
    expect(h.consumer.ofType('unassign')).toEqual([]);
    a!.settle(ok());
    await until(() => h!.consumer.ofType('unassign').length === 1);
    expect(h.consumer.ofType('unassign')[0]!.partitions).toEqual([p(0)]);
    // The explicit commit came before the release.
    const ops = h.consumer.events.map((e) => e.op);
    expect(ops.lastIndexOf('commit')).toBeLessThan(ops.lastIndexOf('unassign'));
    expect(h.committed(0)).toBe(2);
    expect(h.committed(1)).toBeUndefined();
    // The record fetched after the revoke was never dispatched: the next owner reads it.
    expect(h.sink.calls.map((c) => spanNames(c.batch)[0])).toEqual(['c']);
    expect(await h.meter.sum('otelcol_kafka_receiver_partition_close')).toBe(1);
  });

  it('bounds the wait, commits the contiguous prefix and ignores acknowledgements that arrive later', async () => {
    h = await setup({ revokeTimeoutMs: 5000, autoCommit: { enable: false } });
    h.produce(0, ['a']);
    h.produce(0, ['b']);
    h.produce(0, ['c']);
    await until(() => h!.sink.calls.length === 3);
    const [a, b, c] = h.sink.calls.splice(0, 3);
    a!.settle(ok());
    c!.settle(ok());
    await until(() => h!.committed(0) === 1);
    h.consumer.groupRevokes(TOPIC, [0]);
    await vi.advanceTimersByTimeAsync(4900);
    expect(h.consumer.ofType('unassign')).toEqual([]);
    await until(() => h!.consumer.ofType('unassign').length === 1);
    expect(h.committed(0)).toBe(1);
    expect(h.logs.some((l) => l.msg?.startsWith('revoke timeout'))).toBe(true);
    const events = h.consumer.events.length;
    b!.settle(ok()); // late: the partition is not ours any more
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.consumer.events.length).toBe(events);
    expect(h.committed(0)).toBe(1);
  });

  it('stops redelivering records of a revoked partition', async () => {
    h = await setup({
      revokeTimeoutMs: 3000,
      errorBackoff: { initialIntervalMs: 500, randomizationFactor: 0, multiplier: 1 },
    });
    let calls = 0;
    h.sink.auto = () => {
      calls++;
      return retryable('down');
    };
    h.produce(0, ['a']);
    await until(() => calls === 2);
    h.consumer.groupRevokes(TOPIC, [0]);
    await until(() => h!.consumer.ofType('unassign').length === 1);
    const after = calls;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(after);
    expect(h.committed(0)).toBeUndefined();
  });

  it('commits nothing for a lost assignment', async () => {
    h = await setup({ autoCommit: { enable: false } });
    h.produce(0, ['a']);
    h.produce(0, ['b']);
    await until(() => h!.sink.calls.length === 2);
    h.sink.calls.shift()!.settle(ok());
    await until(() => h!.committed(0) === 1);
    h.consumer.groupRevokes(TOPIC, [0], true);
    await until(() => h!.consumer.ofType('unassign').length === 1);
    h.sink.calls.shift()!.settle(ok());
    await vi.advanceTimersByTimeAsync(100);
    expect(h.committed(0)).toBe(1);
  });

  it('a re-assigned partition starts afresh from the committed offset; old acknowledgements do not count', async () => {
    h = await setup({ revokeTimeoutMs: 1000, autoCommit: { enable: false } });
    h.produce(0, ['a']);
    h.produce(0, ['b']);
    await until(() => h!.sink.calls.length === 2);
    const [oldA, oldB] = h.sink.calls.splice(0, 2);
    h.consumer.groupRevokes(TOPIC, [0]);
    await until(() => h!.consumer.ofType('unassign').length === 1);
    h.consumer.groupAssigns(TOPIC, [0]);
    await until(() => h!.sink.calls.length === 2);
    expect(h.sink.calls.map((c) => spanNames(c.batch)[0])).toEqual(['a', 'b']);
    oldA!.settle(ok());
    oldB!.settle(ok());
    await vi.advanceTimersByTimeAsync(100);
    expect(h.committed(0)).toBeUndefined();
    h.sink.calls.splice(0, 2).forEach((c) => c.settle(ok()));
    await until(() => h!.committed(0) === 2);
  });

  it('uses assign/unassign with the eager protocol', async () => {
    h = await setup({ rebalanceStrategy: 'range' }, { partitions: [0, 1], protocol: 'EAGER' });
    h.sink.auto = () => ok();
    h.consumer.groupRevokes(TOPIC, [0, 1]);
    await until(() => h!.consumer.ofType('unassign').length === 1);
    expect(h.consumer.positions.size).toBe(0);
    h.consumer.groupAssigns(TOPIC, [1]);
    await vi.advanceTimersByTimeAsync(10);
    expect([...h.consumer.positions.keys()]).toEqual([p(1)]);
    h.produce(1, ['x']);
    h.produce(0, ['not ours']);
    await until(() => h!.sink.settled.length === 1);
    expect(spanNames(h.sink.settled[0]!)).toEqual(['x']);
  });

  it('drops the lag series of a revoked partition', async () => {
    // Delta readers report only what the callback observed in each collection.
    h = await setup(
      { lagIntervalMs: 1000, autoCommit: { enable: false } },
      { partitions: [0, 1], temporality: 'delta' },
    );
    h.sink.auto = () => ok();
    h.produce(0, ['a']);
    h.produce(1, ['b']);
    await until(() => h!.committed(0) === 1 && h!.committed(1) === 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(
      (await h.meter.read())
        .get('otelcol_kafka_receiver_offset_lag')
        ?.map((x) => x.attributes.partition)
        .sort(),
    ).toEqual([0, 1]);
    h.consumer.groupRevokes(TOPIC, [1]);
    await until(() => h!.consumer.ofType('unassign').length === 1);
    expect(
      (await h.meter.read()).get('otelcol_kafka_receiver_offset_lag')?.map((x) => x.attributes.partition),
    ).toEqual([0]);
    expect((await h.receiver.lag()).map((l) => l.partition)).toEqual([0]);
  });
});
