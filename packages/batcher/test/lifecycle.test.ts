import { afterEach, describe, expect, it, vi } from 'vitest';
import { outcomeKind, refusalOf, type Outcome } from '@otlp-kafka/core';
import { createBatcher } from '@otlp-kafka/batcher';
import { createMemorySink } from '@otlp-kafka/testkit';
import { callerBatch } from './helpers.js';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';

describe('batcher: lifecycle rules', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses before start as retryable ERR_NOT_STARTED naming the processor, and sends nothing', async () => {
    const meter = createTestMeter();
    const sink = createMemorySink();
    await sink.start();
    const p = createBatcher({ name: 'batch/a', timeoutMs: 0, meterProvider: meter.meterProvider })(sink);
    const out = await p.consume(callerBatch('a-', 3).batch);
    expect(outcomeKind(out)).toBe('retryable');
    expect(refusalOf(out)?.code).toBe('ERR_NOT_STARTED');
    expect(refusalOf(out)?.message).toMatch(/^batch\/a: /);
    expect(sink.callsMade).toBe(0);
    expect((await meter.read()).get('otelcol_processor_batch_refused_items')?.map((p) => p.value)).toEqual([
      3,
    ]);
    await p.start();
    expect(outcomeKind(await p.consume(callerBatch('b-', 1).batch))).toBe('ok');
  });

  it('start twice is safe: the same promise', async () => {
    const p = createBatcher()(createMemorySink());
    const first = p.start();
    expect(p.start()).toBe(first);
    await first;
    expect(p.start()).toBe(first);
  });

  it('shutdown waits only the time the caller has left when that is shorter than its own', async () => {
    vi.useFakeTimers();
    const p = createBatcher({ shutdownTimeoutMs: 10_000 })({ consume: () => new Promise<Outcome>(() => {}) });
    await p.start();
    const r = p.consume(callerBatch('a-', 3).batch);
    let done = false;
    const s = p.shutdown({ timeoutMs: 2000 }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await s;
    const out = await r;
    expect(refusalOf(out)?.code).toBe('ERR_TIMEOUT');
    expect(refusalOf(out)?.message).toMatch(/within 2000 ms/);
  });

  it('its own shutdownTimeoutMs caps a longer time left', async () => {
    vi.useFakeTimers();
    const p = createBatcher({ shutdownTimeoutMs: 1000 })({ consume: () => new Promise<Outcome>(() => {}) });
    await p.start();
    const r = p.consume(callerBatch('a-', 1).batch);
    let done = false;
    const s = p.shutdown({ timeoutMs: 60_000 }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await s;
    expect(outcomeKind(await r)).toBe('retryable');
  });
});
