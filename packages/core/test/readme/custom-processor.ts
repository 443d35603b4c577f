import { createInFlight, createLifecycle, permanent, rejectedItemsOf, safeConsume } from '@otlp-kafka/core';
import type { Batch, Consumer, Outcome, Processor, ShutdownOptions } from '@otlp-kafka/core';

/** Refuses empty requests for good and counts the items the next consumer accepted. */
export function countingProcessor(next: Consumer): Processor & { readonly accepted: number } {
  const lifecycle = createLifecycle('counting-processor');
  const inFlight = createInFlight();
  let accepted = 0;
  return {
    get accepted() {
      return accepted;
    },
    start: () => lifecycle.start(() => {}),
    // Waits for batches being passed on, within the time the pipeline has left.
    shutdown: (options?: ShutdownOptions) =>
      lifecycle.shutdown(
        async ({ deadline }) => void (await inFlight.drain(deadline.remainingMs())),
        options,
      ),
    async consume(batch: Batch): Promise<Outcome> {
      const refused = lifecycle.refusal(); // retryable ERR_NOT_STARTED / ERR_SHUTDOWN
      if (refused) return refused;
      if (batch.itemCount === 0) return permanent('counting-processor: an empty request');
      const outcome = await inFlight.track(safeConsume(next, batch)); // its outcome is next's
      accepted += batch.itemCount - (rejectedItemsOf(outcome) ?? batch.itemCount);
      return outcome;
    },
  };
}
