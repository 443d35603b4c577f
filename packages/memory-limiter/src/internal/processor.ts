import {
  backpressure,
  createInFlight,
  PipelineError,
  retryable,
  safeConsume,
  type Batch,
  type Consumer,
  type Outcome,
  type Processor,
} from '@otlp-kafka/core';
import type { MemoryGuard } from './guard.js';
import type { LimiterMetrics } from './metrics.js';

export interface ProcessorConfig {
  guard: MemoryGuard;
  metrics: LimiterMetrics;
  retryAfterMs: number;
  shutdownTimeoutMs: number;
}

/** One pipeline's memory limiter: admission in front of `next`, sharing the guard. */
export class MemoryLimiterProcessor implements Processor {
  private state: 'new' | 'started' | 'stopped' = 'new';
  private readonly inFlight = createInFlight();
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly next: Consumer,
    private readonly config: ProcessorConfig,
  ) {}

  async consume(batch: Batch): Promise<Outcome> {
    if (this.state !== 'started') {
      return retryable(
        this.state === 'new'
          ? new PipelineError('ERR_NOT_STARTED', 'memory limiter not started')
          : new PipelineError('ERR_SHUTDOWN', 'memory limiter shut down'),
      );
    }
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

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'started';
    this.config.guard.acquire();
  }

  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      const wasStarted = this.state === 'started';
      this.state = 'stopped';
      await this.inFlight.drain(this.config.shutdownTimeoutMs);
      if (wasStarted) this.config.guard.release();
    })();
    return this.stopping;
  }
}
