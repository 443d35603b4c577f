import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadlineIn, sleep, withTimeout } from '@otlp-kafka/core';

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves true after the time passed', async () => {
    let result: boolean | undefined;
    void sleep(500).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(499);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toBe(true);
  });

  it('resolves false as soon as any signal aborts, and clears its timer', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const slept = sleep(10_000, a.signal, b.signal);
    expect(vi.getTimerCount()).toBe(1);
    b.abort();
    await expect(slept).resolves.toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves false at once when a signal already aborted', async () => {
    const a = new AbortController();
    a.abort();
    await expect(sleep(10_000, a.signal)).resolves.toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not keep the process alive', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    void sleep(1000);
    const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    spy.mockRestore();
  });
});

describe('withTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes the result through and clears its timer', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes a rejection through', async () => {
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'x')).rejects.toThrow('boom');
  });

  it('rejects with ERR_TIMEOUT naming what took too long', async () => {
    const p = withTimeout(new Promise<never>(() => {}), 1000, 'offset commit');
    const check = expect(p).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
      message: 'offset commit took longer than 1000 ms',
    });
    await vi.advanceTimersByTimeAsync(1000);
    await check;
  });
});

describe('deadlineIn', () => {
  it('counts down on the given clock, never below zero', () => {
    let t = 1000;
    const d = deadlineIn(500, () => t);
    expect(d.atMs).toBe(1500);
    expect(d.remainingMs()).toBe(500);
    expect(d.expired).toBe(false);
    t = 1400;
    expect(d.remainingMs()).toBe(100);
    t = 2000;
    expect(d.remainingMs()).toBe(0);
    expect(d.expired).toBe(true);
  });
});
