import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ok,
  outcomeKind,
  partial,
  permanent,
  refusalOf,
  rejectedItemsOf,
  retryable,
  retryAfterMs,
  type Outcome,
} from '@otlp-kafka/core';
import { trustedBatch, withMetadata } from '@otlp-kafka/pdata';
import { createCountingSink, createMemorySink } from '@otlp-kafka/testkit';
import { createBatcher } from '@otlp-kafka/batcher';
import { callerBatch, ids, scriptedConsumer, tick } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('batcher: size trigger', () => {
  it('with the send slot busy, holds arrivals until sendBatchSize, then sends them as one merged batch at once', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 10, timeoutMs: 60_000 })(sink);
    await p.start();
    const first = callerBatch('x-', 1);
    const rFirst = p.consume(first.batch);
    await tick();
    expect(sink.callsMade).toBe(1);
    const callers = ['a-', 'b-', 'c-', 'd-'].map((prefix) => callerBatch(prefix, 3));
    const results: Promise<Outcome>[] = [];
    for (const c of callers.slice(0, 3)) results.push(p.consume(c.batch));
    await tick();
    expect(sink.callsMade).toBe(1);
    results.push(p.consume(callers[3]!.batch));
    expect(sink.callsMade).toBe(2);
    sink.resume();
    expect((await Promise.all([rFirst, ...results])).map(outcomeKind)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(sink.batches.map((b) => b.itemCount)).toEqual([1, 12]);
    expect(ids(sink.batches[1]!)).toEqual(callers.flatMap((c) => c.ids));
    await p.shutdown();
  });

  it('settles no caller before the next consumer answered', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    sink.failNext('retryable');
    const p = createBatcher({ sendBatchSize: 2 })(sink);
    await p.start();
    let settled = 0;
    const a = p.consume(callerBatch('a-', 1).batch).then((o) => (settled++, o));
    const b = p.consume(callerBatch('b-', 1).batch).then((o) => (settled++, o));
    await tick();
    expect(sink.callsMade).toBe(1);
    expect(settled).toBe(0);
    sink.resume();
    expect(outcomeKind(await a)).toBe('retryable');
    expect(outcomeKind(await b)).toBe('retryable');
    await p.shutdown();
  });

  it('keeps several full outgoing batches in flight at once', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ sendBatchSize: 5 })(sink);
    await p.start();
    const results = ['a-', 'b-', 'c-'].map((x) => p.consume(callerBatch(x, 5).batch));
    await tick();
    expect(sink.inFlight).toBe(3);
    sink.resume();
    expect((await Promise.all(results)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
    await p.shutdown();
  });

  it('sendBatchSize 0: no size trigger; what gathers behind a busy slot goes when it frees', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 0, timeoutMs: 60_000 })(sink);
    await p.start();
    const r = [p.consume(callerBatch('a-', 500).batch)];
    await tick();
    for (const x of ['b-', 'c-']) r.push(p.consume(callerBatch(x, 500).batch));
    await tick();
    expect(sink.callsMade).toBe(1);
    sink.resume();
    expect((await Promise.all(r)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
    expect(sink.batches.map((b) => b.itemCount)).toEqual([500, 1000]);
  });
});

describe('batcher: timeout', () => {
  it('is the longest wait: a batch behind a stuck send goes once timeoutMs passed since its first item', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 100, timeoutMs: 200 })(sink);
    await p.start();
    const first = p.consume(callerBatch('x-', 1).batch);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.callsMade).toBe(1);
    const a = p.consume(callerBatch('a-', 5).batch);
    await vi.advanceTimersByTimeAsync(150);
    const b = p.consume(callerBatch('b-', 5).batch);
    await vi.advanceTimersByTimeAsync(49);
    expect(sink.callsMade).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.calls.map((x) => x.batch.itemCount)).toEqual([1, 10]);
    sink.resume();
    expect((await Promise.all([first, a, b])).map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
    const c = p.consume(callerBatch('c-', 1).batch);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomeKind(await c)).toBe('ok');
    expect(sink.batches.map((x) => x.itemCount)).toEqual([1, 10, 1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('timeoutMs 0 sends every request at once', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ timeoutMs: 0, sendBatchSize: 1000 })(sink);
    await p.start();
    expect(outcomeKind(await p.consume(callerBatch('a-', 3).batch))).toBe('ok');
    expect(outcomeKind(await p.consume(callerBatch('b-', 3).batch))).toBe('ok');
    expect(sink.batches.map((x) => x.itemCount)).toEqual([3, 3]);
  });
});

describe('batcher: caps and splitting', () => {
  it('splits input larger than sendBatchMaxSize; the caller needs every piece to succeed', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 10, sendBatchMaxSize: 10, timeoutMs: 200 })(sink);
    await p.start();
    const big = callerBatch('a-', 35);
    sink.failNext('ok');
    sink.failNext('retryable');
    sink.pause();
    const r = p.consume(big.batch);
    await vi.advanceTimersByTimeAsync(0);
    // Full pieces go at once; the 5-item rest waits for a send to return.
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([10, 10, 10]);
    sink.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([10, 10, 10, 5]);
    expect(sink.calls.flatMap((c) => ids(c.batch))).toEqual(big.ids);
    expect(outcomeKind(await r)).toBe('retryable');
  });

  it('fills the room of a pending batch: a caller split across two outgoing batches needs both', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 10, sendBatchMaxSize: 10, timeoutMs: 200 })(sink);
    await p.start();
    const a = callerBatch('a-', 6);
    const b = callerBatch('b-', 6);
    sink.pause();
    const ra = p.consume(a.batch);
    const rb = p.consume(b.batch);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => ids(c.batch))).toEqual([[...a.ids, ...b.ids.slice(0, 4)]]);
    // From the second call on every request is refused for good (the first call already got ok),
    // so bisecting b's tail finds nothing the downstream would take.
    sink.setBehaviour('permanent');
    sink.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => ids(c.batch))[1]).toEqual(b.ids.slice(4));
    expect(outcomeKind(await ra)).toBe('ok');
    expect(outcomeKind(await rb)).toBe('permanent');
  });

  it('keeps every outgoing batch within sendBatchMaxBytes and delivers every item once', async () => {
    const sink = createCountingSink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 1000, sendBatchMaxBytes: 4000, timeoutMs: 0 })(sink);
    await p.start();
    const callers = ['a-', 'b-', 'c-'].map((x) => callerBatch(x, 40, 'traces', 200));
    expect(callers[0]!.batch.bytes.length).toBeGreaterThan(8000);
    const outcomes = await Promise.all(callers.map((c) => p.consume(c.batch)));
    expect(outcomes.map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
    for (const call of sink.calls) expect(call.batch.bytes.length).toBeLessThanOrEqual(4000);
    const report = sink.report(callers.flatMap((c) => c.ids));
    expect(report).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0, exact: true });
  });

  it('an item that cannot fit sendBatchMaxBytes is a permanent outcome naming the sizes', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ sendBatchMaxBytes: 300, timeoutMs: 0 })(sink);
    await p.start();
    const out = await p.consume(callerBatch('a-', 2, 'logs', 1000).batch);
    expect(outcomeKind(out)).toBe('permanent');
    expect(refusalOf(out)?.message).toMatch(/batch: .*maxBytes 300/);
    expect(sink.callsMade).toBe(0);
  });

  it('bad data that must be split fails only its own caller', async () => {
    const sink = createCountingSink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 10, sendBatchMaxSize: 10, timeoutMs: 0 })(sink);
    await p.start();
    const good = callerBatch('a-', 4);
    const bad = trustedBatch('logs', new Uint8Array([0x0a, 0x7f, 0x00]), 20);
    const [rg, rb] = await Promise.all([p.consume(good.batch), p.consume(bad)]);
    expect(outcomeKind(rg)).toBe('ok');
    expect(outcomeKind(rb)).toBe('permanent');
    expect(sink.report(good.ids).exact).toBe(true);
  });
});

describe('batcher: outcomes', () => {
  it('a partially accepted merged batch: a caller that may be refused whole is resent alone, the rest share what is left', async () => {
    // 5 of 6 refused: a (2 items) may be refused whole, so it is sent again
    // alone; that answer refuses both (permanent); b (4 items) keeps 3.
    const next = scriptedConsumer((i) => (i === 0 ? partial(5, 'five refused') : partial(2, 'two refused')));
    const p = createBatcher({ sendBatchSize: 6 })(next);
    await p.start();
    const ra = p.consume(callerBatch('a-', 2).batch);
    const rb = p.consume(callerBatch('b-', 4).batch);
    const [a, b] = await Promise.all([ra, rb]);
    expect(next.batches.map((x) => x.itemCount)).toEqual([6, 2]);
    expect(outcomeKind(a)).toBe('permanent');
    expect(b.isOk() && b.value).toEqual({ kind: 'partial', rejectedItems: 3, message: 'five refused' });
  });

  it('passes the retry delay of a refusal to the callers', async () => {
    const next = scriptedConsumer(() => retryable('busy', 1500));
    const p = createBatcher({ timeoutMs: 0 })(next);
    await p.start();
    expect(retryAfterMs(await p.consume(callerBatch('a-', 2).batch))).toBe(1500);
  });

  it('a next consumer that throws makes callers retryable, never ok', async () => {
    const p = createBatcher({ timeoutMs: 0 })({ consume: () => Promise.reject(new Error('bug')) });
    await p.start();
    expect(outcomeKind(await p.consume(callerBatch('a-', 2).batch))).toBe('retryable');
  });

  it('acknowledges an empty request at once without sending it', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher()(sink);
    await p.start();
    expect(outcomeKind(await p.consume(trustedBatch('traces', new Uint8Array(0), 0)))).toBe('ok');
    expect(sink.callsMade).toBe(0);
  });

  it('keeps signals apart', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 1000, timeoutMs: 50 })(sink);
    await p.start();
    const results = [
      p.consume(callerBatch('a-', 2, 'logs').batch),
      p.consume(callerBatch('b-', 2, 'traces').batch),
    ];
    expect((await Promise.all(results)).map(outcomeKind)).toEqual(['ok', 'ok']);
    expect(sink.batches.map((b) => b.signal).sort()).toEqual(['logs', 'traces']);
  });
});

describe('batcher: metadata', () => {
  const withHeaders = (prefix: string, headers: Record<string, string[]>, topic?: string) => {
    const c = callerBatch(prefix, 2);
    return withMetadata(c.batch, { headers, ...(topic ? { topic } : {}), client: { address: prefix } });
  };

  it('one batch per combination of metadataKeys values; outgoing metadata keeps only those keys', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 1000, timeoutMs: 20, metadataKeys: ['X-Tenant'] })(sink);
    await p.start();
    const results = [
      p.consume(withHeaders('a-', { 'x-tenant': ['t1'], other: ['1'] })),
      p.consume(withHeaders('b-', { 'x-tenant': ['t2'], other: ['2'] })),
      p.consume(withHeaders('c-', { 'x-tenant': ['t1'], other: ['3'] })),
      p.consume(withHeaders('d-', { other: ['4'] })),
    ];
    expect((await Promise.all(results)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const byTenant = new Map(sink.batches.map((b) => [b.metadata.headers?.['x-tenant']?.[0], b]));
    expect(byTenant.get('t1')!.itemCount).toBe(4);
    expect(byTenant.get('t2')!.itemCount).toBe(2);
    expect(byTenant.get(undefined)!.itemCount).toBe(2);
    expect(byTenant.get('t1')!.metadata).toEqual({ headers: { 'x-tenant': ['t1'] } });
    expect(byTenant.get(undefined)!.metadata).toEqual({});
  });

  it('never mixes batches with different topic overrides', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 1000, timeoutMs: 20 })(sink);
    await p.start();
    await Promise.all([
      p.consume(withHeaders('a-', {}, 'one')),
      p.consume(withHeaders('b-', {}, 'two')),
      p.consume(withHeaders('c-', {}, 'one')),
    ]);
    const topics = sink.batches.map((b) => [b.metadata.topic, b.itemCount]);
    expect(topics.sort()).toEqual([
      ['one', 4],
      ['two', 2],
    ]);
  });

  it('refuses a new combination over metadataCardinalityLimit with backpressure', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({
      sendBatchSize: 1000,
      timeoutMs: 20,
      metadataKeys: ['x-tenant'],
      metadataCardinalityLimit: 2,
    })(sink);
    await p.start();
    const a = p.consume(withHeaders('a-', { 'x-tenant': ['1'] }));
    const b = p.consume(withHeaders('b-', { 'x-tenant': ['2'] }));
    const c = await p.consume(withHeaders('c-', { 'x-tenant': ['3'] }));
    expect(outcomeKind(c)).toBe('backpressure');
    expect(refusalOf(c)?.message).toMatch(/metadataCardinalityLimit/);
    const same = p.consume(withHeaders('d-', { 'x-tenant': ['1'] }));
    expect((await Promise.all([a, b, same])).map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
    // Sent combinations free their slot.
    expect(outcomeKind(await p.consume(withHeaders('e-', { 'x-tenant': ['3'] })))).toBe('ok');
  });
});

describe('batcher: bounded memory', () => {
  it('refuses with backpressure while maxPendingBytes are held and accepts again once they settle', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const a = callerBatch('a-', 10);
    const p = createBatcher({ timeoutMs: 0, maxPendingBytes: a.batch.bytes.length + 10, retryAfterMs: 750 })(
      sink,
    );
    await p.start();
    const ra = p.consume(a.batch);
    const refused = await p.consume(callerBatch('b-', 10).batch);
    expect(outcomeKind(refused)).toBe('backpressure');
    expect(retryAfterMs(refused)).toBe(750);
    sink.resume();
    expect(outcomeKind(await ra)).toBe('ok');
    expect(outcomeKind(await p.consume(callerBatch('c-', 10).batch))).toBe('ok');
  });

  it('bounds held items by maxPendingItems', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ timeoutMs: 0, maxPendingItems: 15 })(sink);
    await p.start();
    const ra = p.consume(callerBatch('a-', 10).batch);
    expect(outcomeKind(await p.consume(callerBatch('b-', 10).batch))).toBe('backpressure');
    sink.resume();
    expect(outcomeKind(await ra)).toBe('ok');
  });

  it('a request with more items than the whole budget is passed on in pieces, not refused', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ maxPendingItems: 15, sendBatchMaxSize: 0 })(sink);
    await p.start();
    const big = callerBatch('big-', 40);
    expect(outcomeKind(await p.consume(big.batch))).toBe('ok');
    expect(Math.max(...sink.batches.map((b) => b.itemCount))).toBeLessThanOrEqual(7);
    const delivered = sink.batches.flatMap((b) => ids(b));
    expect([...delivered].sort()).toEqual([...big.ids].sort()); // each item once
  });

  it('pieces of an oversized request refused for good add up to a partial; a transient refusal ends it retryable', async () => {
    const request = callerBatch('p-', 20);
    const poison = request.ids[7]!;
    const refusing = scriptedConsumer((_, b) => (ids(b).includes(poison) ? permanent('bad item') : ok()));
    const p = createBatcher({ maxPendingItems: 10, sendBatchMaxSize: 0 })(refusing);
    await p.start();
    const out = await p.consume(request.batch);
    expect(outcomeKind(out)).toBe('partial');
    expect(rejectedItemsOf(out)).toBe(1); // isolation inside the piece finds the one item

    const flaky = scriptedConsumer((i) => (i === 1 ? retryable('down') : ok()));
    const q = createBatcher({ maxPendingItems: 10, sendBatchMaxSize: 0 })(flaky);
    await q.start();
    expect(outcomeKind(await q.consume(callerBatch('q-', 20).batch))).toBe('retryable');
    expect(flaky.batches).toHaveLength(2); // it stopped at the refused piece
  });

  it('a request that can never fit the budget is permanent', async () => {
    const p = createBatcher({ maxPendingBytes: 100 })(createMemorySink());
    await p.start();
    await p.start();
    const out = await p.consume(callerBatch('a-', 10).batch);
    expect(outcomeKind(out)).toBe('permanent');
    expect(refusalOf(out)?.message).toMatch(/can never fit maxPendingBytes 100/);
  });
});

describe('batcher: shutdown', () => {
  it('flushes everything pending, waits for the outcomes, then refuses new data', async () => {
    const sink = createMemorySink({ delayMs: 5 });
    await sink.start();
    const p = createBatcher({ sendBatchSize: 1000, timeoutMs: 60_000, metadataKeys: ['k'] })(sink);
    await p.start();
    const a = p.consume(callerBatch('a-', 3).batch);
    const b = p.consume(withMetadata(callerBatch('b-', 4).batch, { headers: { k: ['x'] } }));
    let settledFirst = false;
    void Promise.all([a, b]).then(() => (settledFirst = true));
    await p.shutdown();
    expect(settledFirst).toBe(true);
    expect(sink.items).toBe(7);
    expect(sink.callsMade).toBe(2);
    const late = await p.consume(callerBatch('c-', 1).batch);
    expect(refusalOf(late)?.code).toBe('ERR_SHUTDOWN');
    expect(p.shutdown()).toBe(p.shutdown());
  });

  it('is bounded: callers of a stuck consumer get retryable after shutdownTimeoutMs', async () => {
    vi.useFakeTimers();
    const p = createBatcher({ shutdownTimeoutMs: 1000 })({ consume: () => new Promise<Outcome>(() => {}) });
    await p.start();
    const r = p.consume(callerBatch('a-', 3).batch);
    let done = false;
    const s = p.shutdown().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await s;
    const out = await r;
    expect(outcomeKind(out)).toBe('retryable');
    expect(refusalOf(out)?.code).toBe('ERR_TIMEOUT');
  });

  it('shuts down with nothing pending at once', async () => {
    const p = createBatcher()(scriptedConsumer(() => ok()));
    await p.start();
    await p.start();
    await expect(p.shutdown()).resolves.toBeUndefined();
  });

  it('an outcome that arrives after the shutdown timeout does not settle a caller twice', async () => {
    vi.useFakeTimers();
    let answer!: (o: Outcome) => void;
    const p = createBatcher({ shutdownTimeoutMs: 10, timeoutMs: 0 })({
      consume: () => new Promise<Outcome>((r) => (answer = r)),
    });
    await p.start();
    const r = p.consume(callerBatch('a-', 1).batch);
    const s = p.shutdown();
    await vi.advanceTimersByTimeAsync(10);
    await s;
    answer(permanent('late'));
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomeKind(await r)).toBe('retryable');
  });
});
