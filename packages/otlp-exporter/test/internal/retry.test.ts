import { PipelineError } from '@otlp-kafka/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendWithRetry, type RetrySettings } from '../../src/internal/retry.js';
import type { AttemptResult } from '../../src/internal/transport.js';

const SETTINGS: RetrySettings = {
  enabled: true,
  initialIntervalMs: 5_000,
  maxIntervalMs: 30_000,
  maxElapsedMs: 300_000,
  multiplier: 1.5,
  randomizationFactor: 0,
};

const OK: AttemptResult = { kind: 'ok', rejectedItems: 0, message: '' };
const unavailable = (retryAfterMs?: number): AttemptResult =>
  retryAfterMs === undefined
    ? { kind: 'retryable', error: new PipelineError('ERR_OTLP_HTTP_STATUS', 'HTTP 503') }
    : { kind: 'retryable', error: new PipelineError('ERR_OTLP_HTTP_STATUS', 'HTTP 429'), retryAfterMs };

/** A send that answers from a script (the last entry repeats) and records when it was called. */
function scripted(...answers: AttemptResult[]) {
  const calls: number[] = [];
  const start = Date.now();
  const send = vi.fn(async () => {
    calls.push(Date.now() - start);
    return answers[Math.min(calls.length - 1, answers.length - 1)]!;
  });
  return { send, calls };
}

function control() {
  const stopping = new AbortController();
  const abort = new AbortController();
  return { stopping, abort, signals: { stopping: stopping.signal, abort: abort.signal } };
}

describe('sendWithRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns the first success without waiting', async () => {
    const { send } = scripted(OK);
    const report = await sendWithRetry(send, SETTINGS, control().signals);
    expect(report).toEqual({ result: OK, attempts: 1 });
  });

  it('waits the backoff schedule between attempts and no less', async () => {
    const { send, calls } = scripted(unavailable(), unavailable(), unavailable(), OK);
    const done = sendWithRetry(send, SETTINGS, control().signals);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([0, 5_000]);
    await vi.runAllTimersAsync();
    expect(calls).toEqual([0, 5_000, 12_500, 23_750]);
    expect((await done).result).toEqual(OK);
  });

  it('honours a Retry-After longer than the backoff', async () => {
    const { send, calls } = scripted(unavailable(20_000), OK);
    const done = sendWithRetry(send, SETTINGS, control().signals);
    await vi.advanceTimersByTimeAsync(19_999);
    expect(calls).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await done).attempts).toBe(2);
    expect(calls).toEqual([0, 20_000]);
  });

  it('keeps the backoff when Retry-After is shorter', async () => {
    const { send, calls } = scripted(unavailable(1_000), OK);
    const done = sendWithRetry(send, SETTINGS, control().signals);
    await vi.runAllTimersAsync();
    await done;
    expect(calls).toEqual([0, 5_000]);
  });

  it('gives up with a retryable outcome when the next wait would pass maxElapsedMs', async () => {
    const { send, calls } = scripted(unavailable());
    const done = sendWithRetry(send, { ...SETTINGS, maxElapsedMs: 60_000 }, control().signals);
    await vi.runAllTimersAsync();
    const { result, attempts } = await done;
    // 0, 5000, 12500, 23750, 40625; the next wait (25313) would end at 65938 > 60000.
    expect(calls).toEqual([0, 5_000, 12_500, 23_750, 40_625]);
    expect(attempts).toBe(5);
    expect(result.kind).toBe('retryable');
    if (result.kind !== 'retryable') return;
    expect(result.error.code).toBe('ERR_OTLP_RETRIES_EXHAUSTED');
    expect(result.error.message).toContain('HTTP 503');
  });

  it('passes the server hint on when giving up', async () => {
    const { send } = scripted(unavailable(120_000));
    const done = sendWithRetry(send, { ...SETTINGS, maxElapsedMs: 60_000 }, control().signals);
    await vi.runAllTimersAsync();
    const { result, attempts } = await done;
    expect(attempts).toBe(1);
    expect(result).toMatchObject({ kind: 'retryable', retryAfterMs: 120_000 });
  });

  it('retries until success or shutdown when maxElapsedMs is 0', async () => {
    const c = control();
    const { send, calls } = scripted(unavailable());
    const done = sendWithRetry(send, { ...SETTINGS, maxElapsedMs: 0 }, c.signals);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(calls.length).toBeGreaterThan(100);
    c.stopping.abort();
    const { result } = await done;
    expect(result).toMatchObject({ kind: 'retryable' });
    if (result.kind === 'retryable') expect(result.error.code).toBe('ERR_SHUTDOWN');
  });

  it('does not retry a permanent failure', async () => {
    const bad: AttemptResult = {
      kind: 'permanent',
      error: new PipelineError('ERR_OTLP_HTTP_STATUS', 'HTTP 400'),
    };
    const { send } = scripted(bad, OK);
    const report = await sendWithRetry(send, SETTINGS, control().signals);
    expect(report).toEqual({ result: bad, attempts: 1 });
  });

  it('makes one attempt when disabled and returns its failure as it is', async () => {
    const { send } = scripted(unavailable(3_000), OK);
    const report = await sendWithRetry(send, { ...SETTINGS, enabled: false }, control().signals);
    expect(report.attempts).toBe(1);
    expect(report.result).toMatchObject({ kind: 'retryable', retryAfterMs: 3_000 });
  });

  it('ends a wait at once when shutdown begins, without another attempt', async () => {
    const c = control();
    const { send, calls } = scripted(unavailable(), OK);
    const done = sendWithRetry(send, SETTINGS, c.signals);
    await vi.advanceTimersByTimeAsync(1_000);
    c.stopping.abort();
    const { result, attempts } = await done;
    expect(attempts).toBe(1);
    expect(calls).toEqual([0]);
    expect(result.kind).toBe('retryable');
    if (result.kind === 'retryable') expect(result.error.code).toBe('ERR_SHUTDOWN');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('makes no attempt after the hard abort', async () => {
    const c = control();
    c.abort.abort();
    const { send } = scripted(OK);
    const report = await sendWithRetry(send, SETTINGS, c.signals);
    expect(send).not.toHaveBeenCalled();
    expect(report.attempts).toBe(0);
    expect(report.result.kind).toBe('retryable');
  });

  it('reports each retry with its delay', async () => {
    const { send } = scripted(unavailable(), unavailable(9_000), OK);
    const seen: [number, number][] = [];
    const done = sendWithRetry(send, SETTINGS, control().signals, (_r, attempt, delayMs) =>
      seen.push([attempt, delayMs]),
    );
    await vi.runAllTimersAsync();
    await done;
    expect(seen).toEqual([
      [1, 5_000],
      [2, 9_000],
    ]);
  });
});
