import { afterEach, describe, expect, it, vi } from 'vitest';
import { outcomeKind, refusalOf, retryAfterMs, type Outcome } from '@otlp-kafka/core';
import { trustedBatch } from '@otlp-kafka/pdata';
import { createMemorySink } from '@otlp-kafka/testkit';

const batch = (items: number) => trustedBatch('traces', new Uint8Array(items), items);

describe('createMemorySink', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts and records batches by default', async () => {
    const sink = createMemorySink();
    await sink.start();
    const a = batch(3);
    const b = batch(4);
    expect(outcomeKind(await sink.consume(a))).toBe('ok');
    expect(outcomeKind(await sink.consume(b))).toBe('ok');
    expect(sink.batches).toEqual([a, b]);
    expect(sink.items).toBe(7);
    expect(sink.callsMade).toBe(2);
    expect(sink.calls.map((c) => c.outcome && outcomeKind(c.outcome))).toEqual(['ok', 'ok']);
  });

  it('failNext answers the next n calls with the failure, then the standing behaviour', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.failNext('retryable', 2);
    sink.failNext({ kind: 'backpressure', retryAfterMs: 300 });
    const kinds: string[] = [];
    let last: Outcome | undefined;
    for (let i = 0; i < 5; i++) {
      last = await sink.consume(batch(1));
      kinds.push(outcomeKind(last));
      if (i === 2) expect(retryAfterMs(last)).toBe(300);
    }
    expect(kinds).toEqual(['retryable', 'retryable', 'backpressure', 'ok', 'ok']);
    expect(sink.items).toBe(2);
    expect(sink.batches).toHaveLength(2);
  });

  it('setBehaviour holds until told otherwise and clears queued failures', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.failNext('retryable', 5);
    sink.setBehaviour({ kind: 'permanent', message: 'bad data here' });
    const a = await sink.consume(batch(2));
    const b = await sink.consume(batch(2));
    expect(outcomeKind(a)).toBe('permanent');
    expect(refusalOf(b)?.message).toBe('bad data here');
    sink.setBehaviour('ok');
    expect(outcomeKind(await sink.consume(batch(2)))).toBe('ok');
    expect(sink.items).toBe(2);
  });

  it('partial rejects the last items of a batch and counts only the rest', async () => {
    const sink = createMemorySink({ behaviour: { kind: 'partial', rejectedItems: 3 } });
    await sink.start();
    const out = await sink.consume(batch(10));
    expect(out.isOk() && out.value).toMatchObject({ kind: 'partial', rejectedItems: 3 });
    const small = await sink.consume(batch(2));
    expect(small.isOk() && small.value).toMatchObject({ kind: 'partial', rejectedItems: 2 });
    expect(sink.items).toBe(7);
    expect(sink.rejectedItems).toBe(5);
    expect(sink.batches).toHaveLength(2);
  });

  it('delays answers by delayMs', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink({ delayMs: 1000 });
    await sink.start();
    let done = false;
    const p = sink.consume(batch(1)).then((o) => ((done = true), o));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    expect(sink.inFlight).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomeKind(await p)).toBe('ok');
    expect(sink.inFlight).toBe(0);
  });

  it('pause holds answers until resume', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = sink.consume(batch(5));
    await new Promise((r) => setImmediate(r));
    expect(sink.callsMade).toBe(1);
    expect(sink.items).toBe(0);
    sink.resume();
    expect(outcomeKind(await p)).toBe('ok');
    expect(sink.items).toBe(5);
  });

  it('waitForItems resolves when enough arrived and times out otherwise', async () => {
    const sink = createMemorySink();
    await sink.start();
    const waiting = sink.waitForItems(6);
    await sink.consume(batch(3));
    await sink.consume(batch(3));
    await expect(waiting).resolves.toBeUndefined();
    vi.useFakeTimers();
    const never = sink.waitForItems(100, 50);
    const check = expect(never).rejects.toThrow(/100 items not reached within 50 ms/);
    await vi.advanceTimersByTimeAsync(50);
    await check;
  });

  it('shutdown waits for calls in progress and refuses new ones', async () => {
    const sink = createMemorySink();
    await sink.start();
    expect(sink.started).toBe(true);
    sink.pause();
    const p = sink.consume(batch(1));
    let stopped = false;
    const s = sink.shutdown().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    const late = await sink.consume(batch(1));
    expect(refusalOf(late)?.code).toBe('ERR_SHUTDOWN');
    sink.resume();
    await s;
    expect(outcomeKind(await p)).toBe('ok');
    expect(sink.stopped).toBe(true);
    expect(sink.shutdown()).toBe(sink.shutdown());
  });

  it('refuses before start as retryable ERR_NOT_STARTED naming the sink, and counts no call', async () => {
    const sink = createMemorySink({ name: 'backend' });
    const early = await sink.consume(batch(2));
    expect(outcomeKind(early)).toBe('retryable');
    expect(refusalOf(early)?.code).toBe('ERR_NOT_STARTED');
    expect(refusalOf(early)?.message).toMatch(/^backend: not started/);
    expect(sink.callsMade).toBe(0);
    expect(sink.started).toBe(false);
    const first = sink.start();
    expect(sink.start()).toBe(first);
    await first;
    expect(outcomeKind(await sink.consume(batch(2)))).toBe('ok');
    expect(sink.items).toBe(2);
  });

  it('shutdown waits only the time the caller has left when shorter than its own', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink({ shutdownTimeoutMs: 5000 });
    await sink.start();
    sink.pause();
    void sink.consume(batch(1));
    let stopped = false;
    const s = sink.shutdown({ timeoutMs: 100 }).then(() => (stopped = true));
    expect(sink.stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(99);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await s;
    expect(stopped).toBe(true);
  });

  it('keepBatches false counts without keeping batches', async () => {
    const sink = createMemorySink({ keepBatches: false });
    await sink.start();
    await sink.consume(batch(4));
    expect(sink.items).toBe(4);
    expect(sink.batches).toHaveLength(0);
    expect(sink.calls).toHaveLength(0);
  });

  it('validates its options', () => {
    expect(() => createMemorySink({ delayMs: -1 })).toThrow(/createMemorySink: invalid options: delayMs/);
    expect(() => createMemorySink({ behaviour: 'sometimes' as never })).toThrow(/behaviour/);
    expect(() => createMemorySink().failNext('retryable', -1)).toThrow(RangeError);
  });

  it('clear forgets what was recorded', async () => {
    const sink = createMemorySink();
    await sink.start();
    await sink.consume(batch(4));
    sink.clear();
    expect(sink.items).toBe(0);
    expect(sink.batches).toHaveLength(0);
    expect(sink.callsMade).toBe(0);
  });
});
