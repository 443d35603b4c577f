/**
 * The bound on messages handed to librdkafka and not yet reported delivered.
 * A consume() reserves what its messages need (at most the whole budget) up
 * front, all or nothing, so a batch is either admitted or refused with
 * backpressure before any of it is sent.
 */
export class QueueBudget {
  usedMessages = 0;
  usedBytes = 0;

  constructor(
    readonly maxMessages: number,
    readonly maxBytes: number,
  ) {}

  /** Reserves room for `messages` totalling `bytes`, capped at the whole budget; undefined when that is not free. */
  tryReserve(messages: number, bytes: number): Reservation | undefined {
    const m = Math.min(messages, this.maxMessages);
    const b = Math.min(bytes, this.maxBytes);
    if (this.usedMessages + m > this.maxMessages || this.usedBytes + b > this.maxBytes) return undefined;
    this.usedMessages += m;
    this.usedBytes += b;
    return new Reservation(this, m, b);
  }

  give(messages: number, bytes: number): void {
    this.usedMessages -= messages;
    this.usedBytes -= bytes;
  }
}

/**
 * One consume()'s share of the budget. Messages are sent within it; a batch
 * larger than the whole budget goes out in waves, each message waiting for
 * earlier ones of the same batch to be reported. After the last message is
 * enqueued the unused share goes back, and each report returns its message's share.
 */
export class Reservation {
  private inUseMessages = 0;
  private inUseBytes = 0;
  private finished = false;
  private waiter: (() => void) | undefined;

  constructor(
    private readonly budget: QueueBudget,
    private heldMessages: number,
    private heldBytes: number,
  ) {}

  /** Room for one more message of `bytes` now (no wait needed). */
  fits(bytes: number): boolean {
    return this.inUseMessages + 1 <= this.heldMessages && this.inUseBytes + bytes <= this.heldBytes;
  }

  /** Takes room for one message of `bytes` if it fits now. */
  tryTake(bytes: number): boolean {
    if (!this.fits(bytes)) return false;
    this.inUseMessages += 1;
    this.inUseBytes += bytes;
    return true;
  }

  /** Resolves once one more message of `bytes` fits, and takes it; `bytes` must not exceed the reservation. */
  async acquire(bytes: number): Promise<void> {
    while (!this.tryTake(bytes)) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /** A message was reported (or given up on): its share is free again. */
  release(bytes: number): void {
    this.inUseMessages -= 1;
    this.inUseBytes -= bytes;
    if (this.finished) {
      this.heldMessages -= 1;
      this.heldBytes -= bytes;
      this.budget.give(1, bytes);
    }
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** No more messages will be sent: return what is not in use. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.budget.give(this.heldMessages - this.inUseMessages, this.heldBytes - this.inUseBytes);
    this.heldMessages = this.inUseMessages;
    this.heldBytes = this.inUseBytes;
  }
}
