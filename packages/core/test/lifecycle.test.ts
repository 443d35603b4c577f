import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLifecycle, outcomeKind, refusalOf, type StopContext } from '@otlp-kafka/core';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createLifecycle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs start once: a second start returns the same promise', async () => {
    const l = createLifecycle('thing');
    let runs = 0;
    const a = l.start(() => void runs++);
    const b = l.start(() => void runs++);
    expect(b).toBe(a);
    await a;
    expect(l.start(() => void runs++)).toBe(a);
    expect(runs).toBe(1);
    expect(l.state).toBe('started');
    expect(l.running).toBe(true);
  });

  it('refuses as retryable ERR_NOT_STARTED before start finished, naming the component', async () => {
    const l = createLifecycle('my-proc');
    const before = l.refusal();
    expect(before && outcomeKind(before)).toBe('retryable');
    expect(before && refusalOf(before)?.code).toBe('ERR_NOT_STARTED');
    expect(before && refusalOf(before)?.message).toMatch(/^my-proc: not started/);
    const gate = deferred();
    const started = l.start(() => gate.promise);
    expect(l.state).toBe('starting');
    expect(refusalOf(l.refusal()!)?.code).toBe('ERR_NOT_STARTED');
    gate.resolve();
    await started;
    expect(l.refusal()).toBeUndefined();
  });

  it('refuses as retryable ERR_SHUTDOWN from the moment shutdown begins', async () => {
    const l = createLifecycle('my-proc');
    await l.start(() => {});
    const gate = deferred();
    const stopped = l.shutdown(() => gate.promise);
    expect(l.state).toBe('stopping');
    const during = l.refusal()!;
    expect(outcomeKind(during)).toBe('retryable');
    expect(refusalOf(during)?.code).toBe('ERR_SHUTDOWN');
    expect(refusalOf(during)?.message).toBe('my-proc: shutting down');
    gate.resolve();
    await stopped;
    expect(l.state).toBe('stopped');
    expect(refusalOf(l.refusal()!)?.message).toBe('my-proc: shut down');
  });

  it('runs shutdown once: every call returns the same promise', async () => {
    const l = createLifecycle('thing');
    await l.start(() => {});
    let runs = 0;
    const a = l.shutdown(() => void runs++);
    expect(l.shutdown(() => void runs++)).toBe(a);
    await a;
    expect(l.shutdown(() => void runs++)).toBe(a);
    expect(runs).toBe(1);
  });

  it('a shutdown during start waits for start to settle, and wins', async () => {
    const l = createLifecycle('thing');
    const gate = deferred();
    const started = l.start(() => gate.promise);
    const seen: StopContext[] = [];
    const stopped = l.shutdown((ctx) => void seen.push(ctx));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(0);
    gate.resolve();
    await started;
    await stopped;
    expect(seen[0]!.started).toBe(true);
    expect(l.state).toBe('stopped');
  });

  it('a start stuck past the deadline does not hold the shutdown: the work runs, told start did not succeed', async () => {
    const l = createLifecycle('thing');
    void l.start(() => new Promise<void>(() => {}));
    const seen: StopContext[] = [];
    let done = false;
    const stopped = l.shutdown((ctx) => void seen.push(ctx), { timeoutMs: 5_000 }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(seen[0]!.started).toBe(false);
    expect(l.state).toBe('stopped');
  });

  it('tells the shutdown work whether start succeeded', async () => {
    const never = createLifecycle('a');
    let ctx: StopContext | undefined;
    await never.shutdown((c) => void (ctx = c));
    expect(ctx!.started).toBe(false);

    const failing = createLifecycle('b');
    await expect(failing.start(() => Promise.reject(new Error('no port')))).rejects.toThrow('no port');
    expect(failing.state).toBe('failed');
    expect(refusalOf(failing.refusal()!)?.message).toBe('b: start failed');
    await failing.shutdown((c) => void (ctx = c));
    expect(ctx!.started).toBe(false);
  });

  it('a start after shutdown began rejects with ERR_SHUTDOWN and runs nothing', async () => {
    const l = createLifecycle('thing');
    let runs = 0;
    await l.shutdown(() => {});
    await expect(l.start(() => void runs++)).rejects.toMatchObject({ code: 'ERR_SHUTDOWN' });
    expect(runs).toBe(0);
  });

  it('hands one deadline: the caller time left, capped by the component own timeout', async () => {
    const own = createLifecycle('thing', { shutdownTimeoutMs: 10_000 });
    let ctx: StopContext | undefined;
    await own.shutdown((c) => void (ctx = c));
    expect(ctx!.deadline.remainingMs()).toBe(10_000);

    const shorter = createLifecycle('thing', { shutdownTimeoutMs: 10_000 });
    await shorter.shutdown((c) => void (ctx = c), { timeoutMs: 3000 });
    expect(ctx!.deadline.remainingMs()).toBe(3000);
    vi.advanceTimersByTime(2000);
    expect(ctx!.deadline.remainingMs()).toBe(1000);
    vi.advanceTimersByTime(5000);
    expect(ctx!.deadline.remainingMs()).toBe(0);
    expect(ctx!.deadline.expired).toBe(true);

    const longer = createLifecycle('thing', { shutdownTimeoutMs: 10_000 });
    await longer.shutdown((c) => void (ctx = c), { timeoutMs: 60_000 });
    expect(ctx!.deadline.remainingMs()).toBe(10_000);

    const unbounded = createLifecycle('thing');
    await unbounded.shutdown((c) => void (ctx = c));
    expect(ctx!.deadline.remainingMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('the deadline is taken when shutdown is called, not after a start in progress', async () => {
    const l = createLifecycle('thing', { shutdownTimeoutMs: 5000 });
    const gate = deferred();
    void l.start(() => gate.promise);
    let ctx: StopContext | undefined;
    const stopped = l.shutdown((c) => void (ctx = c));
    await vi.advanceTimersByTimeAsync(4000);
    gate.resolve();
    await stopped;
    expect(ctx!.deadline.remainingMs()).toBe(1000);
  });

  it('a failing shutdown rejects its one promise and still ends stopped', async () => {
    const l = createLifecycle('thing');
    await l.start(() => {});
    const s = l.shutdown(() => Promise.reject(new Error('stuck')));
    await expect(s).rejects.toThrow('stuck');
    expect(l.shutdown(() => {})).toBe(s);
    expect(l.state).toBe('stopped');
  });
});
