import { ok, PipelineError, retryable, type Batch, type Exporter, type Outcome } from '@otlp-kafka/core';

/**
 * An exporter that can only send `bytesPerSecond`: batches wait in its queue
 * (copied, as a real exporter keeps what it is sending) and are acknowledged
 * in order as the rate allows. The queue has no bound of its own: that is the
 * memory limiter's job in this bench.
 */
export function createSlowSink(bytesPerSecond: number): Exporter & {
  readonly queuedBytes: number;
  readonly deliveredBytes: number;
} {
  const queue: { copy: Buffer; resolve: (o: Outcome) => void }[] = [];
  let queuedBytes = 0;
  let deliveredBytes = 0;
  let budget = 0;
  let timer: NodeJS.Timeout | undefined;
  let last = Date.now();
  const tickMs = 10;

  const drain = (): void => {
    const now = Date.now();
    budget = Math.min(budget + ((now - last) * bytesPerSecond) / 1000, bytesPerSecond); // at most 1 s of burst
    last = now;
    while (queue.length > 0 && budget >= queue[0]!.copy.length) {
      const head = queue.shift()!;
      budget -= head.copy.length;
      queuedBytes -= head.copy.length;
      deliveredBytes += head.copy.length;
      head.resolve(ok());
    }
  };

  return {
    get queuedBytes() {
      return queuedBytes;
    },
    get deliveredBytes() {
      return deliveredBytes;
    },
    consume(batch: Batch): Promise<Outcome> {
      if (!timer) return Promise.resolve(retryable(new PipelineError('ERR_NOT_STARTED', 'sink not started')));
      const copy = Buffer.from(batch.bytes);
      queuedBytes += copy.length;
      return new Promise((resolve) => queue.push({ copy, resolve }));
    },
    async start() {
      last = Date.now();
      timer = setInterval(drain, tickMs);
      timer.unref();
    },
    async shutdown() {
      clearInterval(timer);
      for (const q of queue.splice(0)) q.resolve(retryable('sink shut down'));
      queuedBytes = 0;
    },
  };
}
