import {
  backpressure,
  createInFlight,
  createLifecycle,
  safeConsume,
  type Batch,
  type Consumer,
  type Lifecycle,
  type Outcome,
  type Processor,
  type ShutdownOptions,
} from '@otlp-kafka/core';
import type { MemoryGuard } from './guard.js';
import type { LimiterMetrics } from './metrics.js';

export interface ProcessorConfig {
  name: string;
  guard: MemoryGuard;
  metrics: LimiterMetrics;
  retryAfterMs: number;
  shutdownTimeoutMs: number;
}

/** One pipeline's memory limiter: admission in front of `next`, sharing the guard. */
export class MemoryLimiterProcessor implements Processor {
  private readonly inFlight = createInFlight();
  private readonly lifecycle: Lifecycle;

  constructor(
    private readonly next: Consumer,
    private readonly config: ProcessorConfig,
  ) {
    this.lifecycle = createLifecycle(config.name, { shutdownTimeoutMs: config.shutdownTimeoutMs });
  }

  async consume(batch: Batch): Promise<Outcome> {
    const refused = this.lifecycle.refusal();
    if (refused) return refused;
    const size = batch.bytes.byteLength;
    const refusal = this.config.guard.admit(size);
    if (refusal) {
      this.config.metrics.refusedBatch(batch);
      return backpressure(refusal, this.config.retryAfterMs);
    }
    this.config.metrics.admitted(batch);
    try {
      return await this.inFlight.track(safeConsume(this.next, batch));
    } finally {
      this.config.guard.done(size);
    }
  }

  start(): Promise<void> {
    return this.lifecycle.start(() => this.config.guard.acquire());
  }

  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.lifecycle.shutdown(async ({ deadline, started }) => {
      await this.inFlight.drain(deadline.remainingMs());
      if (started) this.config.guard.release();
    }, options);
  }
}
