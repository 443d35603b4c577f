/** The retry_on_failure numbers after defaults. */
export interface BackoffSettings {
  readonly initialIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly multiplier: number;
  readonly randomizationFactor: number;
}

/**
 * Exponential backoff as the Collector's (cenkalti/backoff): each delay is
 * drawn uniformly from interval * [1 - f, 1 + f], then the interval grows by
 * the multiplier up to maxIntervalMs.
 */
export class ExponentialBackoff {
  private intervalMs: number;

  constructor(
    private readonly settings: BackoffSettings,
    private readonly random: () => number = Math.random,
  ) {
    this.intervalMs = settings.initialIntervalMs;
  }

  next(): number {
    const { randomizationFactor: f, multiplier, maxIntervalMs } = this.settings;
    const delta = f * this.intervalMs;
    const delay = this.intervalMs - delta + this.random() * 2 * delta;
    this.intervalMs =
      this.intervalMs >= maxIntervalMs / multiplier ? maxIntervalMs : this.intervalMs * multiplier;
    return Math.round(delay);
  }
}

/**
 * Retry-After as delta-seconds or an HTTP date, in ms from `nowMs`.
 * Undefined when absent or unparsable; never negative.
 */
export function parseRetryAfter(
  value: string | readonly string[] | undefined,
  nowMs: number,
): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value) as string | undefined;
  if (v === undefined) return undefined;
  const text = v.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its month; Date.parse alone would read '-5' as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
