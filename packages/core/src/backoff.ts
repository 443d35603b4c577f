/**
 * Exponential backoff with jitter, as the OpenTelemetry Collector's
 * (github.com/cenkalti/backoff, ExponentialBackOff):
 * - each wait is drawn uniformly from interval * [1 - randomizationFactor, 1 + randomizationFactor],
 *   so clients that failed together do not retry together;
 * - after each wait the interval grows by `multiplier`, capped at `maxIntervalMs`
 *   (the cap applies before the jitter: a wait may be up to maxIntervalMs * (1 + factor));
 * - with `maxElapsedMs` > 0, `fits()` says whether a wait still ends within that
 *   long since the backoff began (the Collector's max_elapsed_time).
 */
export interface BackoffPolicy {
  readonly initialIntervalMs: number;
  readonly maxIntervalMs: number;
  /** At least 1. */
  readonly multiplier: number;
  /** 0 (no jitter) to 1. */
  readonly randomizationFactor: number;
  /** 0 or absent: never give up. */
  readonly maxElapsedMs?: number;
}

export interface Backoff {
  /**
   * The wait before the next attempt, in whole ms. A server's retry-after hint
   * is a floor; the interval keeps growing underneath it.
   */
  next(retryAfterMs?: number): number;
  /** Time since the backoff began (or was reset). */
  readonly elapsedMs: number;
  /** False when waiting `delayMs` would pass maxElapsedMs: time to give up. */
  fits(delayMs: number): boolean;
  /** Back to the initial interval and a fresh elapsed time (after a success). */
  reset(): void;
}

export interface BackoffSources {
  /** Uniform in [0, 1). Default Math.random. */
  random?: () => number;
  /** Default Date.now (fake timers control it). */
  now?: () => number;
}

export function createBackoff(policy: BackoffPolicy, sources: BackoffSources = {}): Backoff {
  const random = sources.random ?? Math.random;
  const now = sources.now ?? Date.now;
  let intervalMs = policy.initialIntervalMs;
  let startMs = now();
  return {
    next(retryAfterMs) {
      const { randomizationFactor: f, multiplier, maxIntervalMs } = policy;
      const delta = f * intervalMs;
      const delay = Math.round(intervalMs - delta + random() * 2 * delta);
      // cenkalti's overflow-safe form of min(interval * multiplier, max).
      intervalMs = intervalMs >= maxIntervalMs / multiplier ? maxIntervalMs : intervalMs * multiplier;
      return retryAfterMs !== undefined && retryAfterMs > delay ? retryAfterMs : delay;
    },
    get elapsedMs() {
      return now() - startMs;
    },
    fits(delayMs) {
      const max = policy.maxElapsedMs ?? 0;
      return max <= 0 || now() - startMs + delayMs <= max;
    },
    reset() {
      intervalMs = policy.initialIntervalMs;
      startMs = now();
    },
  };
}
