// Shared fakes for the core tests (core cannot use testkit: testkit depends on core).
import { trustedBatch, type Batch, type Signal } from '@otlp-kafka/pdata';
import {
  ok,
  type Consumer,
  type Exporter,
  type Outcome,
  type Processor,
  type Receiver,
} from '@otlp-kafka/core';

export function trustedBatchForTest(signal: Signal = 'traces', itemCount = 0): Batch {
  return trustedBatch(signal, new Uint8Array(), itemCount);
}

/** Records lifecycle calls of every fake, in order, across fakes. */
export type Journal = string[];

export interface FakeExporter extends Exporter {
  readonly batches: Batch[];
}

export function fakeExporter(name: string, journal: Journal, outcome: Outcome = ok()): FakeExporter {
  const batches: Batch[] = [];
  return {
    batches,
    consume(batch) {
      batches.push(batch);
      return Promise.resolve(outcome);
    },
    start() {
      journal.push(`start ${name}`);
      return Promise.resolve();
    },
    shutdown() {
      journal.push(`shutdown ${name}`);
      return Promise.resolve();
    },
  };
}

export interface FakeReceiver extends Receiver {
  readonly connected: Map<string, Consumer>;
  send(signal: Signal, batch: Batch): Promise<Outcome>;
}

export function fakeReceiver(
  name: string,
  journal: Journal,
  signals: readonly Signal[] = ['traces', 'metrics', 'logs'],
): FakeReceiver {
  const connected = new Map<string, Consumer>();
  return {
    signals,
    connected,
    connect(signal, next) {
      journal.push(`connect ${name} ${signal}`);
      connected.set(signal, next);
    },
    send(signal, batch) {
      const next = connected.get(signal);
      if (!next) throw new Error(`${name}: ${signal} not connected`);
      return next.consume(batch);
    },
    start() {
      journal.push(`start ${name}`);
      return Promise.resolve();
    },
    shutdown() {
      journal.push(`shutdown ${name}`);
      return Promise.resolve();
    },
  };
}

/** A processor factory that tags the batch path in `trail` and forwards. */
export function tagProcessor(
  name: string,
  journal: Journal,
  trail: string[] = [],
): (next: Consumer) => Processor {
  return (next) => ({
    consume(batch) {
      trail.push(name);
      return next.consume(batch);
    },
    start() {
      journal.push(`start ${name}`);
      return Promise.resolve();
    },
    shutdown() {
      journal.push(`shutdown ${name}`);
      return Promise.resolve();
    },
  });
}
