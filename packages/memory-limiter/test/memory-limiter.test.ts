import { ok, outcomeKind, permanent, refusalOf, retryAfterMs, type Outcome } from '@otlp-kafka/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLimiter, type MemoryLimiterOptions } from '../src/index.js';
import { batchOf, deferredConsumer, okConsumer } from './helpers.js';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';

const MIB = 1024 * 1024;

/** A fake memory reading the test moves by hand. */
function fakeMemory(initialMib = 10) {
  let bytes = initialMib * MIB;
  return {
    read: vi.fn(() => bytes),
    setMib(mib: number) {
      bytes = mib * MIB;
    },
  };
}

function limiter(extra: Partial<MemoryLimiterOptions> = {}, mem = fakeMemory()) {
  return { mem, ml: createMemoryLimiter({ limitMib: 100, readMemoryBytes: mem.read, ...extra }) };
}

function errorMessage(o: Outcome): string {
  return refusalOf(o)?.message ?? '';
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  delete (globalThis as { gc?: unknown }).gc;
});

describe('options', () => {
  it('requires exactly one of limitMib and limitPercentage', () => {
    expect(() => createMemoryLimiter({})).toThrow(/limitMib: exactly one of limitMib and limitPercentage/);
    expect(() => createMemoryLimiter({ limitMib: 10, limitPercentage: 50 })).toThrow(/exactly one/);
  });

  it('rejects a spike limit not below the limit, and mixed units', () => {
    expect(() => createMemoryLimiter({ limitMib: 10, spikeLimitMib: 10 })).toThrow(
      /spikeLimitMib: must be less than/,
    );
    expect(() => createMemoryLimiter({ limitPercentage: 50, spikeLimitPercentage: 60 })).toThrow(
      /spikeLimitPercentage: must be less than/,
    );
    expect(() => createMemoryLimiter({ limitPercentage: 50, spikeLimitMib: 5 })).toThrow(
      /spikeLimitMib: only valid/,
    );
    expect(() => createMemoryLimiter({ limitMib: 50, spikeLimitPercentage: 5 })).toThrow(
      /spikeLimitPercentage: only/,
    );
  });

  it('rejects unknown and out-of-range options', () => {
    expect(() => createMemoryLimiter({ limitMib: 10, checkInterval: 5 } as MemoryLimiterOptions)).toThrow(
      /ERR_INVALID_OPTIONS|invalid options/,
    );
    expect(() => createMemoryLimiter({ limitPercentage: 150 })).toThrow(/limitPercentage/);
    expect(() => createMemoryLimiter({ limitMib: 10, checkIntervalMs: 0 })).toThrow(/checkIntervalMs/);
  });

  it('defaults the spike limit to 20% of the limit and the in-flight budget to the spike limit', () => {
    const { ml } = limiter();
    expect(ml.state.limits).toEqual({
      hardLimitBytes: 100 * MIB,
      spikeLimitBytes: 20 * MIB,
      softLimitBytes: 80 * MIB,
      maxInFlightBytes: 20 * MIB,
    });
  });

  it('computes percentage limits from the total memory', () => {
    const ml = createMemoryLimiter({
      limitPercentage: 50,
      spikeLimitPercentage: 10,
      totalMemoryBytes: () => 1000 * MIB,
      readMemoryBytes: () => 0,
    });
    expect(ml.state.limits.hardLimitBytes).toBe(500 * MIB);
    expect(ml.state.limits.softLimitBytes).toBe(400 * MIB);
    const byDefault = createMemoryLimiter({ limitPercentage: 50, totalMemoryBytes: () => 1000 * MIB });
    expect(byDefault.state.limits.spikeLimitBytes).toBe(100 * MIB);
  });
});

describe('memory readings', () => {
  it('passes data through with the downstream outcome while below the soft limit', async () => {
    const { ml } = limiter();
    const next = okConsumer();
    const p = ml(next);
    await p.start();
    expect((await p.consume(batchOf(100))).isOk()).toBe(true);
    expect(next.received).toHaveLength(1);
    const failing = ml({ consume: async () => permanent('bad') });
    await failing.start();
    expect(outcomeKind(await failing.consume(batchOf(10)))).toBe('permanent');
    await p.shutdown();
    await failing.shutdown();
  });

  it('refuses with backpressure and a retry hint above the soft limit, and accepts again below it', async () => {
    const { ml, mem } = limiter({ checkIntervalMs: 500 });
    const next = okConsumer();
    const p = ml(next);
    await p.start();
    mem.setMib(85); // soft limit is 80 MiB
    expect(outcomeKind(await p.consume(batchOf(10)))).toBe('ok'); // not read yet
    vi.advanceTimersByTime(500);
    const refused = await p.consume(batchOf(10));
    expect(outcomeKind(refused)).toBe('backpressure');
    expect(retryAfterMs(refused)).toBe(500);
    expect(errorMessage(refused)).toMatch(/memory usage 85\.0 MiB is above the soft limit of 80\.0 MiB/);
    expect(next.received).toHaveLength(1);
    mem.setMib(105); // the hard limit is 100 MiB: the refusal says which limit it is
    vi.advanceTimersByTime(500);
    expect(errorMessage(await p.consume(batchOf(10)))).toMatch(
      /memory usage 105\.0 MiB is above the hard limit of 100\.0 MiB/,
    );
    mem.setMib(79);
    vi.advanceTimersByTime(500);
    expect(outcomeKind(await p.consume(batchOf(10)))).toBe('ok');
    expect(ml.state.refusing).toBe(false);
    await p.shutdown();
  });

  it('reads memory at start, so a process already over the limit refuses at once', async () => {
    const { ml, mem } = limiter({}, fakeMemory(90));
    const p = ml(okConsumer());
    await p.start();
    expect(mem.read).toHaveBeenCalledTimes(1);
    expect(outcomeKind(await p.consume(batchOf(1)))).toBe('backpressure');
    await p.shutdown();
  });

  it('uses the configured retry hint', async () => {
    const { ml } = limiter({ retryAfterMs: 2500 }, fakeMemory(99));
    const p = ml(okConsumer());
    await p.start();
    expect(retryAfterMs(await p.consume(batchOf(1)))).toBe(2500);
    await p.shutdown();
  });

  it('forces a GC above the hard limit and decides on the reading after it', async () => {
    const mem = fakeMemory(120);
    const gc = vi.fn(() => mem.setMib(50));
    const { ml } = limiter({ gc }, mem);
    const p = ml(okConsumer());
    await p.start();
    expect(gc).toHaveBeenCalledTimes(1);
    expect(ml.state.memoryBytes).toBe(50 * MIB);
    expect(outcomeKind(await p.consume(batchOf(1)))).toBe('ok');
    mem.setMib(120);
    vi.advanceTimersByTime(1000); // hard limit: no minimum interval by default
    expect(gc).toHaveBeenCalledTimes(2);
    await p.shutdown();
  });

  it('forces a GC above the soft limit at most every minGcIntervalWhenSoftLimitedMs', async () => {
    const mem = fakeMemory(90); // soft 80, hard 100
    const gc = vi.fn();
    const { ml } = limiter({ gc, minGcIntervalWhenSoftLimitedMs: 5000 }, mem);
    const p = ml(okConsumer());
    await p.start();
    expect(gc).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(4000);
    expect(gc).toHaveBeenCalledTimes(1);
    expect(outcomeKind(await p.consume(batchOf(1)))).toBe('backpressure');
    vi.advanceTimersByTime(1000);
    expect(gc).toHaveBeenCalledTimes(2);
    gc.mockImplementation(() => mem.setMib(60)); // the garbage was what kept it high
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(3);
    expect(outcomeKind(await p.consume(batchOf(1)))).toBe('ok');
    mem.setMib(70);
    vi.advanceTimersByTime(10_000);
    expect(gc).toHaveBeenCalledTimes(3); // below the soft limit: never
    await p.shutdown();
  });

  it('uses globalThis.gc when node exposes it, unless gc is false', async () => {
    const exposed = vi.fn();
    (globalThis as { gc?: () => void }).gc = exposed;
    const { ml } = limiter({}, fakeMemory(200));
    const p = ml(okConsumer());
    await p.start();
    expect(exposed).toHaveBeenCalledTimes(1);
    await p.shutdown();
    const off = limiter({ gc: false }, fakeMemory(200)).ml(okConsumer());
    await off.start();
    expect(exposed).toHaveBeenCalledTimes(1);
    await off.shutdown();
  });

  it('keeps its last decision when a reading throws', async () => {
    const mem = fakeMemory(90);
    const { ml } = limiter({}, mem);
    const p = ml(okConsumer());
    await p.start();
    mem.read.mockImplementation(() => {
      throw new Error('no /proc');
    });
    vi.advanceTimersByTime(1000);
    expect(outcomeKind(await p.consume(batchOf(1)))).toBe('backpressure');
    await p.shutdown();
  });

  it('check() reads at once', async () => {
    const { ml, mem } = limiter();
    const p = ml(okConsumer());
    await p.start();
    mem.setMib(81);
    ml.check();
    expect(ml.state.refusing).toBe(true);
    await p.shutdown();
  });
});

describe('in-flight byte budget', () => {
  it('refuses what would exceed the budget until earlier batches are acknowledged', async () => {
    const { ml } = limiter({ maxInFlightBytes: 1000 });
    const next = deferredConsumer();
    const p = ml(next);
    await p.start();
    const a = p.consume(batchOf(600));
    const b = p.consume(batchOf(400));
    expect(ml.state.inFlightBytes).toBe(1000);
    const c = await p.consume(batchOf(1));
    expect(outcomeKind(c)).toBe('backpressure');
    expect(errorMessage(c)).toMatch(/1001 bytes in flight would exceed the budget of 1000 bytes/);
    next.settleNext(ok());
    expect(outcomeKind(await a)).toBe('ok');
    expect(ml.state.inFlightBytes).toBe(400);
    const d = p.consume(batchOf(600));
    expect(next.pending).toBe(2);
    next.settleNext();
    next.settleNext();
    await Promise.all([b, d]);
    expect(ml.state.inFlightBytes).toBe(0);
    await p.shutdown();
  });

  it('admits one batch larger than the budget when nothing is in flight', async () => {
    const { ml } = limiter({ maxInFlightBytes: 100 });
    const next = deferredConsumer();
    const p = ml(next);
    await p.start();
    const big = p.consume(batchOf(500));
    expect(outcomeKind(await p.consume(batchOf(1)))).toBe('backpressure');
    next.settleNext();
    expect(outcomeKind(await big)).toBe('ok');
    await p.shutdown();
  });

  it('is shared by every pipeline built from one limiter', async () => {
    const { ml } = limiter({ maxInFlightBytes: 1000 });
    const traces = deferredConsumer();
    const logs = okConsumer();
    const p1 = ml(traces);
    const p2 = ml(logs);
    await p1.start();
    await p2.start();
    const held = p1.consume(batchOf(900));
    expect(outcomeKind(await p2.consume(batchOf(200, 1, 'logs')))).toBe('backpressure');
    traces.settleNext();
    await held;
    expect(outcomeKind(await p2.consume(batchOf(200, 1, 'logs')))).toBe('ok');
    await p1.shutdown();
    await p2.shutdown();
  });

  it('releases the budget when the next consumer throws, and reports retryable', async () => {
    const { ml } = limiter({ maxInFlightBytes: 1000 });
    const p = ml({
      consume: () => Promise.reject(new Error('boom')),
    });
    await p.start();
    expect(outcomeKind(await p.consume(batchOf(800)))).toBe('retryable');
    expect(ml.state.inFlightBytes).toBe(0);
    await p.shutdown();
  });
});

describe('reservation against the hard limit (issue 17: a request is charged before the work)', () => {
  it('refuses a request whose cost, with what was admitted since the reading, would pass the hard limit', async () => {
    const mem = fakeMemory(50);
    const { ml } = limiter({ maxInFlightBytes: 50 * MIB }, mem);
    const next = deferredConsumer();
    const p = ml(next);
    await p.start();
    const a = p.consume(batchOf(1 * MIB)); // nothing in flight: admitted; reserves 4 MiB
    expect(ml.state.reservedBytes).toBe(4 * MIB);
    const b = p.consume(batchOf(11 * MIB)); // 50 + 4 + 44 = 98 MiB < 100
    expect(ml.state.reservedBytes).toBe(48 * MIB);
    const c = await p.consume(batchOf(1 * MIB)); // 50 + 48 + 4 = 102 MiB
    expect(outcomeKind(c)).toBe('backpressure');
    expect(errorMessage(c)).toMatch(
      /admitting 1048576 bytes \(about 4\.0 MiB of work\) would take memory from 98\.0 MiB past the hard limit of 100\.0 MiB/,
    );
    expect(retryAfterMs(c)).toBe(1000);
    // A new reading includes what the admitted requests took: the reservation starts over.
    ml.check();
    expect(ml.state.reservedBytes).toBe(0);
    const d = p.consume(batchOf(1 * MIB));
    expect(next.pending).toBe(3);
    next.settleNext();
    next.settleNext();
    next.settleNext();
    expect((await Promise.all([a, b, d])).map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
    expect(ml.state.inFlightBytes).toBe(0);
    await p.shutdown();
  });

  it('lets one request through when nothing is in flight, and memoryPerRequestByte 0 turns it off', async () => {
    const { ml } = limiter({ maxInFlightBytes: 500 * MIB }, fakeMemory(50));
    const next = deferredConsumer();
    const p = ml(next);
    await p.start();
    const big = p.consume(batchOf(20 * MIB)); // 50 + 80 MiB past the limit, but alone
    expect(next.pending).toBe(1);
    expect(outcomeKind(await p.consume(batchOf(1)))).toBe('backpressure');
    next.settleNext();
    expect(outcomeKind(await big)).toBe('ok');
    await p.shutdown();

    const off = limiter({ maxInFlightBytes: 500 * MIB, memoryPerRequestByte: 0 }, fakeMemory(50)).ml;
    const n2 = deferredConsumer();
    const p2 = off(n2);
    await p2.start();
    const held = [p2.consume(batchOf(20 * MIB)), p2.consume(batchOf(20 * MIB))];
    expect(n2.pending).toBe(2);
    expect(off.state.reservedBytes).toBe(0);
    n2.settleNext();
    n2.settleNext();
    await Promise.all(held);
    await p2.shutdown();
  });
});

describe('lifecycle', () => {
  it('refuses before start and after shutdown as retryable', async () => {
    const { ml } = limiter();
    const p = ml(okConsumer());
    const before = await p.consume(batchOf(1));
    expect(outcomeKind(before)).toBe('retryable');
    expect(refusalOf(before)?.code).toBe('ERR_NOT_STARTED');
    await p.start();
    await p.shutdown();
    const after = await p.consume(batchOf(1));
    expect(refusalOf(after)?.code).toBe('ERR_SHUTDOWN');
  });

  it('names the processor in the refusal and refuses from the moment shutdown begins', async () => {
    const { ml } = limiter({ name: 'memory_limiter/edge' });
    const next = deferredConsumer();
    const p = ml(next);
    expect(errorMessage(await p.consume(batchOf(1)))).toMatch(/^memory_limiter\/edge: not started/);
    await p.start();
    void p.consume(batchOf(1));
    const stopping = p.shutdown();
    const during = await p.consume(batchOf(1));
    expect(outcomeKind(during)).toBe('retryable');
    expect(errorMessage(during)).toBe('memory_limiter/edge: shutting down');
    expect(next.received).toHaveLength(1);
    next.settleNext(ok());
    await stopping;
  });

  it('start twice is safe: one timer, the same promise, and one shutdown releases it', async () => {
    const { ml } = limiter();
    const p = ml(okConsumer());
    const first = p.start();
    expect(p.start()).toBe(first);
    await first;
    expect(vi.getTimerCount()).toBe(1);
    await p.shutdown();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shutdown waits only the time the caller has left when shorter than shutdownTimeoutMs', async () => {
    const { ml } = limiter({ shutdownTimeoutMs: 10_000 });
    const next = deferredConsumer();
    const p = ml(next);
    await p.start();
    void p.consume(batchOf(10));
    let done = false;
    const stopping = p.shutdown({ timeoutMs: 1500 }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(done).toBe(true);
  });

  it('runs one timer for all its processors and stops it when the last shuts down', async () => {
    const { ml, mem } = limiter();
    const p1 = ml(okConsumer());
    const p2 = ml(okConsumer());
    await p1.start();
    await p2.start();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(3000);
    expect(mem.read).toHaveBeenCalledTimes(4);
    await p1.shutdown();
    expect(vi.getTimerCount()).toBe(1);
    await p2.shutdown();
    await p2.shutdown();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shutdown waits for in-flight batches, which get their real outcome', async () => {
    const { ml } = limiter();
    const next = deferredConsumer();
    const p = ml(next);
    await p.start();
    const inFlight = p.consume(batchOf(10));
    let done = false;
    const stopping = p.shutdown().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    next.settleNext(ok());
    await stopping;
    expect(outcomeKind(await inFlight)).toBe('ok');
  });

  it('shutdown gives up waiting after shutdownTimeoutMs', async () => {
    const { ml } = limiter({ shutdownTimeoutMs: 2000 });
    const next = deferredConsumer();
    const p = ml(next);
    await p.start();
    void p.consume(batchOf(10));
    let done = false;
    const stopping = p.shutdown().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('metrics', () => {
  it('counts accepted and refused items per signal with processor=memory_limiter', async () => {
    const telemetry = createTestMeter();
    const { ml, mem } = limiter({ meterProvider: telemetry.meterProvider });
    const p = ml(okConsumer());
    await p.start();
    await p.consume(batchOf(10, 7, 'traces'));
    await p.consume(batchOf(10, 3, 'metrics'));
    mem.setMib(95);
    ml.check();
    await p.consume(batchOf(10, 5, 'logs'));
    await p.consume(batchOf(10, 2, 'traces'));
    const attrs = { processor: 'memory_limiter' };
    expect(await telemetry.sum('otelcol_processor_accepted_spans', attrs)).toBe(7);
    expect(await telemetry.sum('otelcol_processor_accepted_metric_points', attrs)).toBe(3);
    expect(await telemetry.sum('otelcol_processor_refused_log_records', attrs)).toBe(5);
    expect(await telemetry.sum('otelcol_processor_refused_spans', attrs)).toBe(2);
    await p.shutdown();
  });

  it('uses the name option as the processor attribute', async () => {
    const telemetry = createTestMeter();
    const { ml } = limiter({ meterProvider: telemetry.meterProvider, name: 'memory_limiter/edge' });
    const p = ml(okConsumer());
    await p.start();
    await p.consume(batchOf(10, 4, 'logs'));
    expect(
      await telemetry.sum('otelcol_processor_accepted_log_records', { processor: 'memory_limiter/edge' }),
    ).toBe(4);
    expect(
      await telemetry.sum('otelcol_processor_accepted_log_records', { processor: 'memory_limiter' }),
    ).toBeUndefined();
    await p.shutdown();
  });
});
