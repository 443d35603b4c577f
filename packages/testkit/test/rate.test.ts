import { afterEach, describe, expect, it, vi } from 'vitest';
import { ok, permanent, type Outcome } from '@otlp-kafka/core';
import { createLoadGenerator, createMemorySink, sendAtRate } from '@otlp-kafka/testkit';

afterEach(() => {
  vi.useRealTimers();
});

describe('sendAtRate', () => {
  it('starts requests on a fixed schedule for the duration', async () => {
    vi.useFakeTimers();
    const g = createLoadGenerator({ itemsPerRequest: 2 });
    const sink = createMemorySink();
    await sink.start();
    const run = sendAtRate(g, sink, { requestsPerSecond: 10, durationMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.callsMade).toBe(1);
    await vi.advanceTimersByTimeAsync(450);
    expect(sink.callsMade).toBe(5);
    await vi.advanceTimersByTimeAsync(1000);
    const report = await run;
    expect(sink.callsMade).toBe(10);
    expect(report).toMatchObject({ requests: 10, items: 20, late: 0 });
    expect(report.byOutcome.ok).toBe(10);
    expect(report.acceptedIds).toHaveLength(20);
    expect(new Set(report.acceptedIds)).toEqual(new Set(g.ids()));
  });

  it('sorts requests by outcome and returns the ids a client would send again', async () => {
    const g = createLoadGenerator({ itemsPerRequest: 3 });
    const sink = createMemorySink();
    await sink.start();
    sink.failNext('retryable');
    sink.failNext('backpressure');
    const report = await sendAtRate(g, sink, { requestsPerSecond: 1000, durationMs: 5 });
    expect(report.requests).toBe(5);
    expect(report.byOutcome).toMatchObject({ ok: 3, retryable: 1, backpressure: 1 });
    expect(report.refusedIds).toHaveLength(6);
    expect(report.acceptedIds).toHaveLength(9);
  });

  it('takes a function target answering an outcome, a boolean or nothing', async () => {
    const g = createLoadGenerator({ itemsPerRequest: 1, signals: { logs: 1 } });
    const answers: Array<() => Outcome | boolean | void> = [
      () => ok(),
      () => permanent('no'),
      () => true,
      () => false,
      () => undefined,
      () => {
        throw new Error('x');
      },
    ];
    let i = 0;
    const seen: string[] = [];
    const report = await sendAtRate(
      g,
      (r) => {
        seen.push(r.signal);
        return Promise.resolve().then(answers[i++]!);
      },
      { requestsPerSecond: 1000, durationMs: 6, maxInFlight: 1 },
    );
    expect(seen).toEqual(['logs', 'logs', 'logs', 'logs', 'logs', 'logs']);
    expect(report.byOutcome).toMatchObject({ ok: 3, permanent: 1, failed: 2 });
  });

  it('never has more than maxInFlight requests waiting; the schedule slips and counts late starts', async () => {
    vi.useFakeTimers();
    const g = createLoadGenerator({ itemsPerRequest: 1 });
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const run = sendAtRate(g, sink, {
      requestsPerSecond: 100,
      durationMs: 100,
      maxInFlight: 2,
      signal: 'metrics',
    });
    await vi.advanceTimersByTimeAsync(200);
    expect(sink.callsMade).toBe(2);
    sink.resume();
    await vi.advanceTimersByTimeAsync(0);
    const report = await run;
    expect(report.requests).toBe(10);
    expect(report.late).toBeGreaterThan(0);
    expect(sink.batches.every((b) => b.signal === 'metrics')).toBe(true);
  });

  it('validates its options', async () => {
    await expect(
      sendAtRate(createLoadGenerator(), createMemorySink(), { requestsPerSecond: 0, durationMs: 10 }),
    ).rejects.toThrow(/requestsPerSecond/);
  });
});
