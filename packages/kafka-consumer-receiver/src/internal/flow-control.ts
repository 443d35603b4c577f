export interface FlowLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
  /** Fetching resumes once in-flight work fell to this fraction of both budgets. */
  readonly resumeRatio: number;
}

/**
 * Decides which partitions must be paused.
 *
 * A receiver-wide budget bounds the messages (and their bytes) dispatched and
 * not yet acknowledged: once over it, every partition pauses until in-flight
 * work drained below `resumeRatio` of the budget (hysteresis, so a partition
 * does not flap between pause and resume with every acknowledgement). A
 * partition also pauses while any of its messages waits for redelivery after a
 * retryable or backpressure outcome: fetching more of it would only fill the
 * budget with data that cannot be committed before the stuck message.
 */
export class FlowControl {
  private messages = 0;
  private bytes = 0;
  private saturated = false;
  private readonly holds = new Map<string, number>();
  private changes = 0;

  constructor(private readonly limits: FlowLimits) {}

  get inFlightMessages(): number {
    return this.messages;
  }

  get inFlightBytes(): number {
    return this.bytes;
  }

  /** Changes whenever the answer of shouldPause may have changed for some partition. */
  get version(): number {
    return this.changes;
  }

  /** True while the receiver-wide budget holds every partition paused. */
  get overBudget(): boolean {
    return this.saturated;
  }

  /** Messages that may still be fetched before the count budget is reached (0 when saturated). */
  get remainingMessages(): number {
    return this.saturated ? 0 : Math.max(0, this.limits.maxMessages - this.messages);
  }

  /** Bytes that may still be fetched before the byte budget is reached (0 when saturated). */
  get remainingBytes(): number {
    return this.saturated ? 0 : Math.max(0, this.limits.maxBytes - this.bytes);
  }

  acquire(bytes: number): void {
    this.messages++;
    this.bytes += bytes;
    this.update();
  }

  release(bytes: number): void {
    this.messages--;
    this.bytes -= bytes;
    this.update();
  }

  /** A message of `key` waits for redelivery. */
  hold(key: string): void {
    const n = this.holds.get(key) ?? 0;
    if (n === 0) this.changes++;
    this.holds.set(key, n + 1);
  }

  unhold(key: string): void {
    const n = (this.holds.get(key) ?? 0) - 1;
    if (n > 0) this.holds.set(key, n);
    else if (this.holds.delete(key)) this.changes++;
  }

  /** Forget a partition's holds (revoked). */
  forget(key: string): void {
    if (this.holds.delete(key)) this.changes++;
  }

  isHeld(key: string): boolean {
    return this.holds.has(key);
  }

  shouldPause(key: string): boolean {
    return this.saturated || this.holds.has(key);
  }

  private update(): void {
    const { maxMessages, maxBytes, resumeRatio } = this.limits;
    const was = this.saturated;
    if (!was) {
      this.saturated = this.messages >= maxMessages || this.bytes >= maxBytes;
    } else {
      this.saturated = !(this.messages <= maxMessages * resumeRatio && this.bytes <= maxBytes * resumeRatio);
    }
    if (was !== this.saturated) this.changes++;
  }
}
