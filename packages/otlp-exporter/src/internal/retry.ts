import { PipelineError, createBackoff, sleep, type BackoffPolicy } from '@otlp-kafka/core';
import type { AttemptResult } from './transport.js';

/** retry_on_failure after defaults: core's backoff (the Collector's, cenkalti) plus the switch. */
export interface RetrySettings extends BackoffPolicy {
  readonly enabled: boolean;
  /** 0: retry until shutdown. */
  readonly maxElapsedMs: number;
}

/** Shutdown's two steps, as signals the retry loop watches. */
export interface RetryControl {
  /** Shutdown began: waits between attempts end now and no new attempt follows a failure. */
  readonly stopping: AbortSignal;
  /** The shutdown deadline passed: attempts in flight are aborted, none start. */
  readonly abort: AbortSignal;
}

export interface RetryReport {
  readonly result: AttemptResult;
  readonly attempts: number;
}

/**
 * Sends until success, a permanent failure, shutdown, or until the next wait
 * would pass maxElapsedMs. Giving up is still retryable: the data goes back to
 * the caller (the Kafka receiver redelivers it), it is never dropped here.
 * The wait is the backoff, or the server's Retry-After / RetryInfo if longer.
 */
export async function sendWithRetry(
  /** One attempt; `previousAttempts` is how many went before it for this batch. */
  send: (abort: AbortSignal, previousAttempts: number) => Promise<AttemptResult>,
  settings: RetrySettings,
  control: RetryControl,
  onRetry: (
    result: AttemptResult & { kind: 'retryable' },
    attempt: number,
    delayMs: number,
  ) => void = () => {},
  random: () => number = Math.random,
): Promise<RetryReport> {
  const backoff = createBackoff(settings, { random });
  for (let attempts = 0; ;) {
    if (control.abort.aborted) {
      const error = new PipelineError('ERR_SHUTDOWN', 'exporter shut down before the batch was sent');
      return { result: { kind: 'retryable', error }, attempts };
    }
    const result = await send(control.abort, attempts);
    attempts++;
    if (result.kind !== 'retryable' || !settings.enabled) return { result, attempts };
    if (control.stopping.aborted)
      return { result: giveUp(result, 'ERR_SHUTDOWN', 'the exporter is shutting down', attempts), attempts };
    const delayMs = backoff.next(result.retryAfterMs);
    if (!backoff.fits(delayMs)) {
      const elapsedMs = backoff.elapsedMs;
      return {
        result: giveUp(
          result,
          'ERR_OTLP_RETRIES_EXHAUSTED',
          `retries exhausted after ${elapsedMs}ms (maxElapsedMs ${settings.maxElapsedMs})`,
          attempts,
        ),
        attempts,
      };
    }
    onRetry(result, attempts, delayMs);
    if (!(await sleep(delayMs, control.stopping)))
      return { result: giveUp(result, 'ERR_SHUTDOWN', 'the exporter is shutting down', attempts), attempts };
  }
}

function giveUp(
  last: AttemptResult & { kind: 'retryable' },
  code: string,
  why: string,
  attempts: number,
): AttemptResult {
  const error = new PipelineError(code, `${why}, ${attempts} attempt(s): ${last.error.message}`, {
    cause: last.error,
  });
  return last.retryAfterMs === undefined
    ? { kind: 'retryable', error }
    : { kind: 'retryable', error, retryAfterMs: last.retryAfterMs };
}
