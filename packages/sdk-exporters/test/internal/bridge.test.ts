import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ok, permanent, retryable, backpressure, type Consumer, type Outcome } from '@otlp-kafka/core';
import { ExportBridge, type BridgeTarget } from '../../src/internal/bridge.js';
import { SDK_EXPORTER_DEFAULTS } from '../../src/options.js';

const options = {
  timeoutMs: 1000,
  maxPendingBytes: 100,
  retry: { initialIntervalMs: 100, maxIntervalMs: 400, multiplier: 2, randomizationFactor: 0 },
};

function target(consume: Consumer['consume']): BridgeTarget & { released: number } {
  const t = {
    released: 0,
    consumer: { consume },
    failure: () => undefined,
    release: () => {
      t.released += 1;
      return Promise.resolve();
    },
  };
  return t;
}

function exportOnce(bridge: ExportBridge, size = 10, items = 1): Promise<ExportResult> {
  return new Promise((resolve) =>
    bridge.export(() => ({ bytes: new Uint8Array(size), itemCount: items }), resolve),
  );
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ExportBridge', () => {
  it('retries retryable and backpressure refusals, honouring Retry-After, and answers SUCCESS once acknowledged', async () => {
    const answers: Outcome[] = [retryable('kafka away'), backpressure('queue full', 300), ok()];
    const at: number[] = [];
    const bridge = new ExportBridge(
      't',
      'traces',
      target(() => (at.push(Date.now()), Promise.resolve(answers.shift()!))),
      options,
    );
    const start = Date.now();
    const result = exportOnce(bridge);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await result).code).toBe(ExportResultCode.SUCCESS);
    // 100 ms after the first refusal, then the 300 ms Retry-After (above the 200 ms interval).
    expect(at.map((t) => t - start)).toEqual([0, 100, 400]);
  });

  it('answers FAILED at once for a permanent refusal, with its reason', async () => {
    let calls = 0;
    const bridge = new ExportBridge(
      't',
      'traces',
      target(() => (calls++, Promise.resolve(permanent('bad data')))),
      options,
    );
    const result = await exportOnce(bridge);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('bad data');
    expect(calls).toBe(1);
  });

  it('answers FAILED with the last reason when the budget is spent, never later than timeoutMs', async () => {
    let calls = 0;
    const bridge = new ExportBridge(
      't',
      'traces',
      target(() => (calls++, Promise.resolve(retryable('kafka producer is not connected yet')))),
      options,
    );
    let answeredAt = -1;
    const start = Date.now();
    const result = exportOnce(bridge).then((r) => ((answeredAt = Date.now() - start), r));
    await vi.advanceTimersByTimeAsync(2000);
    const r = await result;
    expect(r.code).toBe(ExportResultCode.FAILED);
    expect(r.error?.message).toMatch(
      /gave up after 4 attempts within timeoutMs 1000: kafka producer is not connected yet/,
    );
    // Waits 100, 200, 400: the next (400) would pass the deadline, so it answers at 700.
    expect(calls).toBe(4);
    expect(answeredAt).toBe(700);
  });

  it('an attempt that never answers ends in ERR_TIMEOUT at the deadline; its bytes stay counted until it settles', async () => {
    let release!: (o: Outcome) => void;
    const hanging = new Promise<Outcome>((r) => (release = r));
    let calls = 0;
    const bridge = new ExportBridge(
      't',
      'traces',
      target(() => (calls++ === 0 ? hanging : Promise.resolve(ok()))),
      options,
    );
    const first = exportOnce(bridge, 60);
    await vi.advanceTimersByTimeAsync(1000);
    const r = await first;
    expect(r.code).toBe(ExportResultCode.FAILED);
    expect(r.error).toMatchObject({ code: 'ERR_TIMEOUT' });
    // 60 bytes still await Kafka: 60 more would pass maxPendingBytes 100.
    const refused = await exportOnce(bridge, 60);
    expect(refused.code).toBe(ExportResultCode.FAILED);
    expect(refused.error?.message).toMatch(
      /60 bytes of earlier exports still await Kafka; .* maxPendingBytes 100/,
    );
    release(ok());
    await vi.advanceTimersByTimeAsync(0);
    expect((await exportOnce(bridge, 60)).code).toBe(ExportResultCode.SUCCESS);
  });

  it('answers an empty export SUCCESS without sending, and a serialiser that throws FAILED', async () => {
    let calls = 0;
    const bridge = new ExportBridge(
      't',
      'traces',
      target(() => (calls++, Promise.resolve(ok()))),
      options,
    );
    const empty = await new Promise<ExportResult>((r) =>
      bridge.export(() => ({ bytes: undefined, itemCount: 0 }), r),
    );
    expect(empty.code).toBe(ExportResultCode.SUCCESS);
    const broken = await new Promise<ExportResult>((r) =>
      bridge.export(() => {
        throw new Error('boom');
      }, r),
    );
    expect(broken.code).toBe(ExportResultCode.FAILED);
    expect(broken.error?.message).toMatch(/could not serialise/);
    expect(calls).toBe(0);
  });

  it('forceFlush and shutdown wait for exports in progress; after shutdown exports fail and the target is released once', async () => {
    const t = target(() => new Promise<Outcome>((r) => setTimeout(() => r(ok()), 300)));
    const bridge = new ExportBridge('t', 'traces', t, options);
    let answered = false;
    void exportOnce(bridge).then(() => (answered = true));
    const flushed = bridge.forceFlush();
    await vi.advanceTimersByTimeAsync(300);
    await flushed;
    expect(answered).toBe(true);
    void exportOnce(bridge);
    const stopping = Promise.all([bridge.shutdown(), bridge.shutdown()]);
    await vi.advanceTimersByTimeAsync(300);
    await stopping;
    expect(t.released).toBe(1);
    const after = await exportOnce(bridge);
    expect(after.error).toMatchObject({ code: 'ERR_SHUTDOWN' });
  });

  it('defaults: 10 s budget below the SDK processors’ 30 s export timeout', () => {
    expect(SDK_EXPORTER_DEFAULTS.timeoutMs).toBeLessThan(30_000);
  });
});
