import { ok, type Batch, type Consumer, type Outcome } from '@otlp-kafka/core';
import { trustedBatch, type Signal } from '@otlp-kafka/pdata';

export function batchOf(bytes: number, itemCount = 1, signal: Signal = 'traces'): Batch {
  return trustedBatch(signal, new Uint8Array(bytes), itemCount);
}

/** A consumer whose outcomes the test settles by hand. */
export function deferredConsumer(): Consumer & {
  readonly pending: number;
  received: Batch[];
  settleNext(outcome?: Outcome): void;
} {
  const waiting: ((o: Outcome) => void)[] = [];
  const received: Batch[] = [];
  return {
    received,
    get pending() {
      return waiting.length;
    },
    consume(batch) {
      received.push(batch);
      return new Promise((resolve) => waiting.push(resolve));
    },
    settleNext(outcome = ok()) {
      const next = waiting.shift();
      if (!next) throw new Error('nothing pending');
      next(outcome);
    },
  };
}

export function okConsumer(): Consumer & { received: Batch[] } {
  const received: Batch[] = [];
  return {
    received,
    async consume(batch) {
      received.push(batch);
      return ok();
    },
  };
}
