import { afterEach, describe, expect, it, vi } from 'vitest';
import { outcomeKind, type Outcome } from '@otlp-kafka/core';
import { createMemorySink } from '@otlp-kafka/testkit';
import { createBatcher } from '@otlp-kafka/batcher';
import { callerBatch, ids } from './helpers.js';

// The policy that keeps serial clients (OpenTelemetry SDKs export one batch at
// a time and wait) from being held for the timeout: a batch goes while a send
// slot is free; arrivals gather only behind sends in flight.

afterEach(() => {
  vi.useRealTimers();
});

describe('batcher: group commit', () => {
  it('an idle downstream gets a request at once, not after the timeout or a size trigger', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 1024, sendBatchMaxSize: 2048, timeoutMs: 5000 })(
      sink,
    );
    await p.start();
    const r = p.consume(callerBatch('a-', 512, 'traces').batch);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([512]);
    expect(outcomeKind(await r)).toBe('ok');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a serial client waits one downstream round trip per export (plus the linger), whatever timeoutMs is', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink({ delayMs: 10 });
    await sink.start();
    // The seed's agent batch settings and the default linger (5 ms).
    const p = createBatcher({ sendBatchSize: 1024, sendBatchMaxSize: 2048, timeoutMs: 5000 })(sink);
    await p.start();
    const started = Date.now();
    const latencies: number[] = [];
    const client = (async () => {
      for (let i = 0; i < 20; i++) {
        const t0 = Date.now();
        expect(outcomeKind(await p.consume(callerBatch(`e${i}-`, 512, 'traces').batch))).toBe('ok');
        latencies.push(Date.now() - t0);
      }
    })();
    await vi.runAllTimersAsync();
    await client;
    // 5 ms of linger and 10 ms of round trip; never the 5 s timeout.
    expect(Math.min(...latencies)).toBe(15);
    expect(Math.max(...latencies)).toBe(15);
    expect(Date.now() - started).toBe(20 * 15);
    expect(sink.batches.map((b) => b.itemCount)).toEqual(Array.from({ length: 20 }, () => 512));
  });

  it('by default a lone request waits 5 ms (lingerMs) for company, then goes', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 1024, timeoutMs: 5000 })(sink);
    await p.start();
    const a = p.consume(callerBatch('a-', 3).batch);
    await vi.advanceTimersByTimeAsync(4);
    const b = p.consume(callerBatch('b-', 3).batch);
    expect(sink.callsMade).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([6]);
    expect((await Promise.all([a, b])).map(outcomeKind)).toEqual(['ok', 'ok']);
  });

  it('requests of one event-loop turn share a batch', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 1000, timeoutMs: 5000 })(sink);
    await p.start();
    const callers = ['a-', 'b-', 'c-'].map((x) => callerBatch(x, 4));
    const results = callers.map((c) => p.consume(c.batch));
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => ids(c.batch))).toEqual([callers.flatMap((c) => c.ids)]);
    expect((await Promise.all(results)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
  });

  it('while a send is in flight, arrivals gather and go as one batch as soon as it returns', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 1000, timeoutMs: 5000 })(sink);
    await p.start();
    const results: Promise<Outcome>[] = [p.consume(callerBatch('a-', 4).batch)];
    await vi.advanceTimersByTimeAsync(0);
    const later = ['b-', 'c-', 'd-'].map((x) => callerBatch(x, 4));
    for (const c of later) {
      results.push(p.consume(c.batch));
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(sink.callsMade).toBe(1);
    sink.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([4, 12]);
    expect(ids(sink.calls[1]!.batch)).toEqual(later.flatMap((c) => c.ids));
    expect((await Promise.all(results)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('sendBatchMaxSize still caps what gathered: the rest waits for the next free slot', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 10, sendBatchMaxSize: 10, timeoutMs: 5000 })(sink);
    await p.start();
    const results = [p.consume(callerBatch('a-', 2).batch)];
    await vi.advanceTimersByTimeAsync(0);
    for (const x of ['b-', 'c-', 'd-']) results.push(p.consume(callerBatch(x, 4).batch));
    // b+c+d = 12: the first 10 reach the size and go at once, 2 wait.
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([2, 10]);
    sink.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([2, 10, 2]);
    expect((await Promise.all(results)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('maxConcurrentSends bounds the partly filled batches in flight per key', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 1000, timeoutMs: 5000, maxConcurrentSends: 2 })(
      sink,
    );
    await p.start();
    const results: Promise<Outcome>[] = [];
    for (const x of ['a-', 'b-', 'c-', 'd-']) {
      results.push(p.consume(callerBatch(x, 3).batch));
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([3, 3]);
    sink.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([3, 3, 6]);
    expect((await Promise.all(results)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('keys have their own slots: a stuck signal does not hold another', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 1000, timeoutMs: 5000 })(sink);
    await p.start();
    const logs = p.consume(callerBatch('a-', 3, 'logs').batch);
    await vi.advanceTimersByTimeAsync(0);
    const traces = p.consume(callerBatch('b-', 3, 'traces').batch);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.calls.map((c) => c.batch.signal)).toEqual(['logs', 'traces']);
    sink.resume();
    expect((await Promise.all([logs, traces])).map(outcomeKind)).toEqual(['ok', 'ok']);
  });

  it('lingerMs waits that long for more arrivals before using a free slot', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ sendBatchSize: 1000, timeoutMs: 5000, lingerMs: 5 })(sink);
    await p.start();
    const a = p.consume(callerBatch('a-', 3).batch);
    await vi.advanceTimersByTimeAsync(4);
    const b = p.consume(callerBatch('b-', 3).batch);
    expect(sink.callsMade).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([6]);
    expect((await Promise.all([a, b])).map(outcomeKind)).toEqual(['ok', 'ok']);
  });

  it('shutdown sends what gathered behind a busy slot and waits for it', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 1000, timeoutMs: 60_000 })(sink);
    await p.start();
    const a = p.consume(callerBatch('a-', 3).batch);
    await new Promise((r) => setImmediate(r));
    const b = p.consume(callerBatch('b-', 4).batch);
    const stopped = p.shutdown();
    expect(sink.calls.map((c) => c.batch.itemCount)).toEqual([3, 4]);
    sink.resume();
    await stopped;
    expect((await Promise.all([a, b])).map(outcomeKind)).toEqual(['ok', 'ok']);
  });

  it('a failed send releases its slot: what gathered meanwhile still goes, with its own outcome', async () => {
    vi.useFakeTimers();
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    sink.failNext('retryable');
    const p = createBatcher({ lingerMs: 0, sendBatchSize: 1000, timeoutMs: 5000 })(sink);
    await p.start();
    const a = p.consume(callerBatch('a-', 3).batch);
    await vi.advanceTimersByTimeAsync(0);
    const b = p.consume(callerBatch('b-', 3).batch);
    await vi.advanceTimersByTimeAsync(0);
    sink.resume();
    expect(outcomeKind(await a)).toBe('retryable');
    expect(outcomeKind(await b)).toBe('ok');
    expect(sink.calls).toHaveLength(2);
  });

  it('refuses invalid slot options at construction', () => {
    expect(() => createBatcher({ maxConcurrentSends: 0 })).toThrow(/maxConcurrentSends/);
    expect(() => createBatcher({ lingerMs: -1 })).toThrow(/lingerMs/);
  });
});
