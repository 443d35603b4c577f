import type { Batch, Signal } from '@otlp-kafka/pdata';
import type { Outcome } from './outcome.js';

/**
 * start() once; shutdown() is idempotent: it stops intake, flushes, waits for
 * in-flight work (bounded by the component's shutdown timeout), then releases
 * what it holds. Nothing accepted is lost on a clean shutdown.
 */
export interface Component {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Takes batches. The promise resolves (never rejects) with the outcome, and
 * resolves ok only after the data is durably accepted downstream.
 */
export interface Consumer {
  consume(batch: Batch): Promise<Outcome>;
}

/** The end of a pipeline: Kafka, an OTLP backend, a test sink. */
export interface Exporter extends Consumer, Component {}

/** A step in the middle. It holds its next consumer; the pipeline shuts that down after it. */
export interface Processor extends Consumer, Component {}

/** Builds a processor in front of `next` (one instance per pipeline). */
export type ProcessorFactory = (next: Consumer) => Processor;

/** A source of batches. One instance may feed pipelines of several signals. */
export interface Receiver extends Component {
  /** The signals this receiver can produce. */
  readonly signals: readonly Signal[];
  /** Wires a signal to its pipeline; called before start(). Unconnected signals are refused. */
  connect(signal: Signal, next: Consumer): void;
}
