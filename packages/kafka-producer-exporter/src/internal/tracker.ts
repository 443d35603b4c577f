import { LOCAL } from './codes.js';
import type { OutMessage } from './plan.js';
import type { RdDeliveryReport, RdError, RdProducer } from './rdkafka.js';

/** The fate of one message. `error` undefined: the broker acknowledged it with the configured acks. */
export interface Delivery {
  readonly message: OutMessage;
  readonly error: RdError | undefined;
  readonly latencyMs: number;
}

/** The opaque handed to librdkafka with each message; its delivery report brings it back. */
class PendingMessage {
  settled = false;
  constructor(
    readonly tracker: DeliveryTracker,
    readonly message: OutMessage,
    readonly startedAt: number,
    readonly resolve: (d: Delivery) => void,
  ) {}
}

/**
 * Matches delivery reports to the messages that are waiting for them. Each
 * message settles exactly once: by its report, by the sweep for reports that
 * never come, or by shutdown.
 */
export class DeliveryTracker {
  // Insertion order is produce order, so the oldest come first when sweeping.
  private readonly pending = new Set<PendingMessage>();

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.pending.size;
  }

  /**
   * Hands one message to librdkafka. `failedNow` is true when produce() refused
   * it synchronously (queue full, too large, not connected); `done` is then
   * already settled with that error.
   */
  produce(producer: RdProducer, message: OutMessage): { done: Promise<Delivery>; failedNow: boolean } {
    let entry!: PendingMessage;
    const done = new Promise<Delivery>((resolve) => {
      entry = new PendingMessage(this, message, this.now(), resolve);
    });
    this.pending.add(entry);
    try {
      producer.produce(message.topic, message.value, message.key, entry, message.headers);
      return { done, failedNow: false };
    } catch (e) {
      this.settle(entry, toRdError(e));
      return { done, failedNow: true };
    }
  }

  /** The producer's delivery-report listener. */
  onReport = (err: RdError | null | undefined, report: RdDeliveryReport): void => {
    const entry: unknown = report.opaque;
    if (entry instanceof PendingMessage && entry.tracker === this) this.settle(entry, err ?? undefined);
  };

  /** Settles every message waiting longer than `maxAgeMs` as not delivered. */
  sweep(maxAgeMs: number): number {
    const now = this.now();
    let swept = 0;
    for (const entry of this.pending) {
      if (now - entry.startedAt < maxAgeMs) break;
      this.settle(entry, { code: LOCAL.NO_REPORT, message: `no delivery report within ${maxAgeMs} ms` });
      swept++;
    }
    return swept;
  }

  /** Settles everything still waiting with `error`. */
  failAll(message: string): void {
    for (const entry of [...this.pending]) this.settle(entry, { code: LOCAL.SHUTDOWN, message });
  }

  private settle(entry: PendingMessage, error: RdError | undefined): void {
    if (entry.settled) return;
    entry.settled = true;
    this.pending.delete(entry);
    entry.resolve({ message: entry.message, error, latencyMs: this.now() - entry.startedAt });
  }
}

export function toRdError(e: unknown): RdError {
  if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number') {
    const { code, message } = e as { code: number; message?: unknown };
    return { code, message: typeof message === 'string' ? message : String(e) };
  }
  return { code: LOCAL.PRODUCE_FAILED, message: e instanceof Error ? e.message : String(e) };
}
