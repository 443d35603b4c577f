// A pipeline stand-in whose outcomes the test decides, one call at a time.
import type { Batch, Consumer, Outcome } from '@otlp-kafka/core';

export interface PendingCall {
  readonly batch: Batch;
  settle(outcome: Outcome): void;
}

export class ControlledConsumer implements Consumer {
  readonly calls: PendingCall[] = [];
  readonly settled: Batch[] = [];
  /** When set, calls settle at once with this outcome. */
  auto: ((batch: Batch) => Outcome) | undefined;

  consume(batch: Batch): Promise<Outcome> {
    if (this.auto) {
      const outcome = this.auto(batch);
      if (outcome.isOk()) this.settled.push(batch);
      return Promise.resolve(outcome);
    }
    return new Promise<Outcome>((resolve) => {
      this.calls.push({
        batch,
        settle: (outcome) => {
          if (outcome.isOk()) this.settled.push(batch);
          resolve(outcome);
        },
      });
    });
  }

  /** Removes and returns the oldest pending call. */
  take(): PendingCall {
    const c = this.calls.shift();
    if (!c) throw new Error('no pending call');
    return c;
  }
}
