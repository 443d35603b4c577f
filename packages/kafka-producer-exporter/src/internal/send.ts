import { backpressure, permanent, PipelineError, retryable, worst, ok, type Outcome } from '@otlp-kafka/core';
import { classify, codeName, HINTS, LOCAL } from './codes.js';
import type { Reservation } from './budget.js';
import type { OutMessage } from './plan.js';
import type { RdProducer } from './rdkafka.js';
import type { Delivery, DeliveryTracker } from './tracker.js';

/**
 * Produces a batch's messages within its budget reservation and resolves with
 * every delivery once all reports are in. After the first failure the rest
 * are not sent (the batch will be refused anyway); `sent` says how many were.
 */
export async function produceAll(
  producer: RdProducer,
  tracker: DeliveryTracker,
  messages: readonly OutMessage[],
  reservation: Reservation,
  onDelivery: (d: Delivery) => void,
): Promise<Delivery[]> {
  const pending: Promise<Delivery>[] = [];
  let failed = false;
  try {
    for (const m of messages) {
      if (!reservation.tryTake(m.size)) {
        // Larger than the whole budget: wait for this batch's earlier messages.
        await reservation.acquire(m.size);
        if (failed) {
          reservation.release(m.size);
          break;
        }
      }
      const { done, failedNow } = tracker.produce(producer, m);
      pending.push(
        done.then((d) => {
          reservation.release(m.size);
          if (d.error) failed = true;
          onDelivery(d);
          return d;
        }),
      );
      if (failedNow) break;
    }
  } finally {
    reservation.finish();
  }
  return Promise.all(pending);
}

/**
 * Ok only when every message of the batch was sent and acknowledged. Else
 * the worst failure decides: queue full -> backpressure, errors Kafka will
 * never accept -> permanent, anything else -> retryable.
 */
export function deliveryOutcome(deliveries: readonly Delivery[], total: number): Outcome {
  const failures = deliveries.filter((d) => d.error !== undefined);
  if (failures.length === 0 && deliveries.length === total) return ok();
  if (failures.length === 0) {
    // Cannot happen (sending only stops after a failure), but never report unsent data as ok.
    return retryable(
      new PipelineError(
        'ERR_KAFKA_DELIVERY',
        `${total - deliveries.length} of ${total} messages were not sent`,
      ),
    );
  }
  const outcomes = failures.map((d) => failureOutcome(d, failures.length, total));
  return worst(outcomes);
}

function failureOutcome(d: Delivery, failed: number, total: number): Outcome {
  const err = d.error!;
  const hint = HINTS.get(err.code);
  const summary =
    `${failed} of ${total} messages not delivered to Kafka; topic ${d.message.topic}: ${codeName(err.code)}: ${err.message}` +
    (hint ? ` (${hint})` : '');
  if (err.code === LOCAL.SHUTDOWN)
    return retryable(new PipelineError('ERR_SHUTDOWN', summary, { cause: err }));
  if (err.code === LOCAL.NO_REPORT)
    return retryable(new PipelineError('ERR_TIMEOUT', summary, { cause: err }));
  switch (classify(err.code)) {
    case 'backpressure':
      return backpressure(
        new PipelineError('ERR_BACKPRESSURE', `librdkafka producer queue is full: ${summary}`, {
          cause: err,
        }),
      );
    case 'permanent':
      return permanent(new PipelineError('ERR_KAFKA_DELIVERY', summary, { cause: err }));
    case 'retryable':
      return retryable(new PipelineError('ERR_KAFKA_DELIVERY', summary, { cause: err }));
  }
}
