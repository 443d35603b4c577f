export interface BackoffPolicy {
  readonly initialIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly multiplier: number;
  /** Each delay is drawn from [d * (1 - f), d * (1 + f)]. */
  readonly randomizationFactor: number;
}

/**
 * Exponential backoff for one message's redeliveries. It has no end: a
 * retryable message is delivered again until it is accepted, never skipped.
 */
export class Backoff {
  private interval: number;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {
    this.interval = policy.initialIntervalMs;
  }

  /**
   * The delay before the next attempt. A server's retry-after hint is honoured
   * as a floor; the exponential interval keeps growing underneath it.
   */
  next(retryAfterMs?: number): number {
    const { randomizationFactor: f, maxIntervalMs, multiplier } = this.policy;
    const base = this.interval;
    this.interval = Math.min(maxIntervalMs, base * multiplier);
    const jittered = base * (1 - f + 2 * f * this.random());
    const delay = Math.min(maxIntervalMs, Math.round(jittered));
    return retryAfterMs !== undefined && retryAfterMs > delay ? retryAfterMs : delay;
  }
}
