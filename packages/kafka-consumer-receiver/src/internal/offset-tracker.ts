/**
 * One partition's messages between fetch and acknowledgement.
 *
 * Messages are dispatched in offset order and acknowledged in any order. The
 * committable offset is the contiguous watermark: one past the last message
 * that was acknowledged together with every message dispatched before it.
 * Kafka offsets need not be consecutive (compaction, transaction markers), so
 * contiguity is by dispatch order, never by offset + 1.
 */
export class OffsetTracker {
  // Pending entries in dispatch order; `head` skips the settled prefix without shifting.
  private readonly queue: Entry[] = [];
  private head = 0;
  private readonly byOffset = new Map<number, Entry>();
  private watermark: number | undefined;
  private pendingBytes = 0;

  /** Messages dispatched and not yet acknowledged. */
  get inFlight(): number {
    return this.byOffset.size;
  }

  /** Bytes of the messages dispatched and not yet acknowledged. */
  get inFlightBytes(): number {
    return this.pendingBytes;
  }

  /** The offset to store/commit (next offset to read), or undefined before the first contiguous acknowledgement. */
  get committable(): number | undefined {
    return this.watermark;
  }

  /** The oldest unacknowledged offset: where a replay would start. */
  get oldestPending(): number | undefined {
    return this.queue[this.head]?.offset;
  }

  /** Registers a dispatched message. Offsets must increase. */
  dispatched(offset: number, bytes: number): void {
    const last = this.queue.length > this.head ? this.queue[this.queue.length - 1]! : undefined;
    const floor = last?.offset ?? (this.watermark === undefined ? -1 : this.watermark - 1);
    if (offset <= floor) throw new RangeError(`offset ${offset} dispatched after ${floor}`);
    const entry: Entry = { offset, bytes, acked: false };
    this.queue.push(entry);
    this.byOffset.set(offset, entry);
    this.pendingBytes += bytes;
  }

  /**
   * Marks a message acknowledged. Returns the new committable offset when the
   * watermark moved, undefined when it did not (a gap before it remains) or the
   * offset is unknown (already acknowledged, or never dispatched here).
   */
  ack(offset: number): number | undefined {
    const entry = this.byOffset.get(offset);
    if (!entry) return undefined;
    entry.acked = true;
    this.byOffset.delete(offset);
    this.pendingBytes -= entry.bytes;
    let moved = false;
    while (this.head < this.queue.length && this.queue[this.head]!.acked) {
      this.watermark = this.queue[this.head]!.offset + 1;
      this.head++;
      moved = true;
    }
    this.compact();
    return moved ? this.watermark : undefined;
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

interface Entry {
  readonly offset: number;
  readonly bytes: number;
  acked: boolean;
}
