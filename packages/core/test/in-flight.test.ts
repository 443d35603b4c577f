import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInFlight } from '@otlp-kafka/core';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createInFlight', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts tracked work until it settles and passes values through', async () => {
    const f = createInFlight();
    const a = deferred<number>();
    const b = deferred<number>();
    const ta = f.track(a.promise);
    const tb = f.track(b.promise);
    expect(f.size).toBe(2);
    a.resolve(1);
    expect(await ta).toBe(1);
    expect(f.size).toBe(1);
    b.reject(new Error('x'));
    await expect(tb).rejects.toThrow('x');
    expect(f.size).toBe(0);
  });

  it('drain resolves true at once when nothing is in flight', async () => {
    await expect(createInFlight().drain(1000)).resolves.toBe(true);
  });

  it('drain waits for all work, including rejected work', async () => {
    const f = createInFlight();
    const a = deferred<void>();
    const b = deferred<void>();
    f.track(a.promise);
    f.track(b.promise).catch(() => {});
    let result: boolean | undefined;
    const drained = f.drain(10_000).then((r) => (result = r));
    a.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(result).toBeUndefined();
    b.reject(new Error('failed'));
    await drained;
    expect(result).toBe(true);
  });

  it('drain waits for work tracked while draining', async () => {
    const f = createInFlight();
    const a = deferred<void>();
    const b = deferred<void>();
    f.track(a.promise);
    let result: boolean | undefined;
    const drained = f.drain(10_000).then((r) => (result = r));
    f.track(b.promise);
    a.resolve();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toBeUndefined();
    b.resolve();
    await drained;
    expect(result).toBe(true);
  });

  it('drain resolves false when the timeout comes first, and leaves the work tracked', async () => {
    const f = createInFlight();
    const a = deferred<void>();
    f.track(a.promise);
    let result: boolean | undefined;
    const drained = f.drain(500).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(499);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await drained;
    expect(result).toBe(false);
    expect(f.size).toBe(1);
    a.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(f.size).toBe(0);
  });

  it('drain clears its timer when work finishes first', async () => {
    const f = createInFlight();
    const a = deferred<void>();
    f.track(a.promise);
    const drained = f.drain(60_000);
    expect(vi.getTimerCount()).toBe(1);
    a.resolve();
    await expect(drained).resolves.toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
