// A pass-through first step of the measured pipeline: it starts the stopwatch when the first record
// arrives (so the consumer group join is not timed) and tallies the outcomes the rest of the pipeline
// gives the receiver (a refused record is redelivered after the receiver's error backoff).
import {
  outcomeKind,
  type Batch,
  type Consumer,
  type Outcome,
  type ProcessorFactory,
} from '@otlp-kafka/core';

export interface Tap {
  readonly factory: ProcessorFactory;
  /** Deliveries by outcome kind, e.g. { ok: 250, backpressure: 27 }. */
  readonly outcomes: Readonly<Record<string, number>>;
}

export function tap(onFirst: () => void): Tap {
  const outcomes: Record<string, number> = {};
  let seen = false;
  const count = (o: Outcome): Outcome => {
    const kind = outcomeKind(o);
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
    return o;
  };
  const factory: ProcessorFactory = (next: Consumer) => ({
    consume(batch: Batch): Promise<Outcome> {
      if (!seen) {
        seen = true;
        onFirst();
      }
      return next.consume(batch).then(count);
    },
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  });
  return { factory, outcomes };
}
