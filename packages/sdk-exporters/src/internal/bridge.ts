import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  createBackoff,
  createInFlight,
  getLogger,
  PipelineError,
  safeConsume,
  sleep,
  type Consumer,
  type Logger,
  type Outcome,
  type Signal,
} from '@otlp-kafka/core';
import { trustedBatch, type Batch } from '@otlp-kafka/pdata';
import type { ResolvedSdkOptions } from '../options.js';
import { BridgeMetrics } from './metrics.js';

/** Where a bridge writes, and what it must release at shutdown. */
export interface BridgeTarget {
  readonly consumer: Consumer;
  /** Set once the target can never take data (its start failed for good). */
  failure(): PipelineError | undefined;
  /** Called once by the bridge's shutdown, after its exports settled. */
  release(): Promise<void>;
}

/** The request an SDK export became: encoded bytes (undefined: nothing to send) and its item count. */
export interface Encoded {
  readonly bytes: Uint8Array | undefined;
  readonly itemCount: number;
}

/**
 * Turns one SDK export into acknowledged batches: answers SUCCESS only once
 * the target resolved ok, retries retryable refusals within the export's
 * budget, answers FAILED with the reason otherwise. Never throws; calls the
 * SDK's callback exactly once per export.
 */
export class ExportBridge {
  private readonly logger: Logger;
  private readonly metrics: BridgeMetrics;
  /** Exports not answered yet (forceFlush and shutdown wait for them). */
  private readonly answers = createInFlight();
  private pendingBytes = 0;
  private shutDown: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly signal: Signal,
    private readonly target: BridgeTarget,
    private readonly o: ResolvedSdkOptions,
  ) {
    this.logger = getLogger(o, `sdk-exporters/${name}`);
    this.metrics = new BridgeMetrics(o, signal, name);
  }

  export(encode: () => Encoded, resultCallback: (result: ExportResult) => void): void {
    let answered = false;
    const answer = (error?: Error): void => {
      if (answered) return;
      answered = true;
      try {
        resultCallback(error ? { code: ExportResultCode.FAILED, error } : { code: ExportResultCode.SUCCESS });
      } catch (e) {
        this.logger.error({ err: e }, 'the SDK result callback threw');
      }
    };
    if (this.shutDown) return answer(new PipelineError('ERR_SHUTDOWN', `${this.name} is shut down`));
    const failed = this.target.failure();
    if (failed) return answer(failed);
    let encoded: Encoded;
    try {
      encoded = encode();
    } catch (e) {
      return answer(
        new PipelineError('ERR_INVALID_DATA', `${this.name} could not serialise the export`, { cause: e }),
      );
    }
    const { bytes, itemCount } = encoded;
    if (bytes === undefined || itemCount === 0) return answer();
    if (this.pendingBytes + bytes.length > this.o.maxPendingBytes) {
      this.metrics.refused(itemCount, 'ERR_BACKPRESSURE');
      return answer(
        new PipelineError(
          'ERR_BACKPRESSURE',
          `${this.name}: ${this.pendingBytes} bytes of earlier exports still await Kafka; this export of ` +
            `${bytes.length} bytes would pass maxPendingBytes ${this.o.maxPendingBytes}`,
        ),
      );
    }
    const batch = trustedBatch(this.signal, bytes, itemCount);
    // The bytes are held from here until the last attempt settled, which may be after the answer.
    this.pendingBytes += bytes.length;
    this.metrics.begin(itemCount);
    const delivery = { last: Promise.resolve() as Promise<unknown> };
    void this.answers.track(
      this.deliver(batch, delivery).then((error) => {
        this.metrics.end(itemCount, error?.code);
        if (error) this.logger.warn({ err: error, items: itemCount }, 'export failed');
        answer(error);
        void delivery.last.finally(() => (this.pendingBytes -= bytes.length));
      }),
    );
  }

  /** Resolves once every export handed in so far has been answered. */
  async forceFlush(): Promise<void> {
    await this.answers.drain(this.o.timeoutMs + 1000);
  }

  shutdown(): Promise<void> {
    this.shutDown ??= (async () => {
      await this.answers.drain(this.o.timeoutMs + 1000);
      await this.target.release();
    })();
    return this.shutDown;
  }

  /** Undefined when delivered; otherwise why not. */
  private async deliver(
    batch: Batch,
    delivery: { last: Promise<unknown> },
  ): Promise<PipelineError | undefined> {
    const deadlineMs = Date.now() + this.o.timeoutMs;
    const backoff = createBackoff(this.o.retry);
    for (let attempt = 1; ; attempt++) {
      const settled = safeConsume(this.target.consumer, batch);
      delivery.last = settled;
      const outcome = await untilDeadline(settled, deadlineMs);
      if (outcome === undefined)
        return new PipelineError(
          'ERR_TIMEOUT',
          `${this.name}: no acknowledgement within timeoutMs ${this.o.timeoutMs} (attempt ${attempt})`,
        );
      if (outcome.isOk()) {
        if (outcome.value.kind === 'partial')
          this.logger.warn(
            { rejectedItems: outcome.value.rejectedItems, reason: outcome.value.message },
            'part of an export was refused for good',
          );
        return undefined;
      }
      const refusal = outcome.error;
      if (refusal.kind === 'permanent') return refusal.error;
      const delayMs = backoff.next(refusal.retryAfterMs);
      if (Date.now() + delayMs >= deadlineMs)
        return new PipelineError(
          refusal.error.code,
          `${this.name}: gave up after ${attempt} attempts within timeoutMs ${this.o.timeoutMs}: ${refusal.error.message}`,
          { cause: refusal.error },
        );
      this.metrics.retried();
      await sleep(delayMs);
    }
  }
}

/** The outcome, or undefined when the deadline comes first (the attempt itself goes on). */
function untilDeadline(settled: Promise<Outcome>, deadlineMs: number): Promise<Outcome | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadlineMs - Date.now()));
    timer.unref();
  });
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}
