import {
  PipelineError,
  retryable,
  toPipelineError,
  type Batch,
  type Consumer,
  type Logger,
  type Outcome,
} from '@otlp-kafka/core';
import type { LogThrottle } from './log-throttle.js';

/**
 * A plain async function as a pipeline: its outcome decides exactly as a
 * Consumer's does (ok / partial: commit; retryable / backpressure: redeliver
 * after backoff; permanent: dead letter or skip). A throw or a rejected promise
 * counts as retryable (the record is redelivered) and is logged.
 */
export type BatchHandler = (batch: Batch) => Outcome | Promise<Outcome>;

/** A Consumer as it is; a BatchHandler wrapped so that a throw, or a value that is not an Outcome, becomes a retryable outcome. */
export function toConsumer(next: Consumer | BatchHandler, logger: Logger, log: LogThrottle): Consumer {
  if (typeof next !== 'function') return next;
  const refuse = (batch: Batch, error: PipelineError, msg: string): Outcome => {
    const admitted = log.admit(`handler|${msg}`);
    if (admitted)
      logger.error(
        { ...where(batch), err: error, ...(admitted.suppressed ? { suppressed: admitted.suppressed } : {}) },
        msg,
      );
    return retryable(error);
  };
  return {
    async consume(batch) {
      let outcome: unknown;
      try {
        outcome = await next(batch);
      } catch (e) {
        return refuse(batch, toPipelineError(e), 'batch handler threw; the record will be redelivered');
      }
      if (isOutcome(outcome)) return outcome;
      const error = new PipelineError(
        'ERR_INTERNAL',
        `batch handler returned ${describe(outcome)}, not an Outcome`,
      );
      return refuse(batch, error, 'batch handler returned no Outcome; the record will be redelivered');
    },
  };
}

function isOutcome(v: unknown): v is Outcome {
  return typeof v === 'object' && v !== null && typeof (v as { isOk?: unknown }).isOk === 'function';
}

function describe(v: unknown): string {
  return v === null ? 'null' : typeof v;
}

function where(batch: Batch): object {
  const k = batch.metadata.kafka;
  return k ? { topic: k.topic, partition: k.partition, offset: k.firstOffset } : {};
}
