/** The limiter's thresholds in bytes. */
export interface MemoryLimits {
  readonly hardLimitBytes: number;
  readonly spikeLimitBytes: number;
  /** hard - spike: at or above it, data is refused. */
  readonly softLimitBytes: number;
  readonly maxInFlightBytes: number;
}

/** What the limiter knows right now. */
export interface MemoryLimiterState {
  /** The last memory reading, in bytes (0 before the first check). */
  readonly memoryBytes: number;
  /** True while the last reading was at or above the soft limit. */
  readonly refusing: boolean;
  /** Bytes admitted and not yet acknowledged downstream. */
  readonly inFlightBytes: number;
  /**
   * Memory reserved by what was admitted since the last reading (its bytes
   * times `memoryPerRequestByte`): not in the reading yet, counted with it
   * against the hard limit.
   */
  readonly reservedBytes: number;
  readonly limits: MemoryLimits;
}
