import type { Batch, Signal } from '@otlp-kafka/pdata';
import type { ShutdownOptions } from './lifecycle.js';
import type { Outcome } from './outcome.js';

/**
 * The lifecycle rules (createLifecycle in lifecycle.ts implements them):
 * - start() runs once; a second call is a no-op returning the same promise.
 * - shutdown() is idempotent (every call returns the same promise): it stops
 *   intake, flushes, waits for in-flight work, then releases what it holds.
 *   Its wait is bounded by `options.timeoutMs` (the time the caller has left:
 *   a pipeline hands down what remains of its one deadline), capped by the
 *   component's own shutdownTimeoutMs. Nothing accepted is lost on a clean shutdown.
 * - consume() before start() finished answers `retryable` with ERR_NOT_STARTED,
 *   and once shutdown() began `retryable` with ERR_SHUTDOWN, each message naming
 *   the component: the data is fine, the sender should try again later.
 */
export interface Component {
  start(): Promise<void>;
  shutdown(options?: ShutdownOptions): Promise<void>;
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
