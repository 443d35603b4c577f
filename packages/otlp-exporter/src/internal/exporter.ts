import { setMaxListeners } from 'node:events';
import {
  backpressure,
  createInFlight,
  createLifecycle,
  getLogger,
  getMeter,
  ok,
  partial,
  permanent,
  PipelineError,
  retryable,
  toPipelineError,
  type Lifecycle,
  type Logger,
  type Outcome,
  type ShutdownOptions,
} from '@otlp-kafka/core';
import type { Batch } from '@otlp-kafka/pdata';
import PQueue from 'p-queue';
import type { OtlpExporter } from '../exporter.js';
import type { OtlpExporterOptions, ResolvedOptions } from '../options.js';
import { GrpcTransport } from './grpc-transport.js';
import { HttpTransport } from './http-transport.js';
import { ExporterMetrics } from './metrics.js';
import { sendWithRetry } from './retry.js';
import { RequestHeaders } from './request-headers.js';
import { loadTls } from './tls.js';
import { isPrepared, type AttemptResult, type Transport } from './transport.js';

/**
 * After the deadline aborted the sends still running, how long shutdown waits
 * for them to end. The transports answer an aborted send at once; this only
 * bounds one that does not, so shutdown overruns its deadline by at most this.
 */
const ABORT_GRACE_MS = 1000;

/** Transports that can also be torn down hard, when shutdown's deadline passed. */
type ClosableTransport = Transport & { destroy(): Promise<void> };

/**
 * Sends each batch as one OTLP request, retrying with backoff, through a
 * bounded queue with a fixed number of consumers. consume() resolves with the
 * send's final outcome, never on enqueue.
 */
export class OtlpExporterImpl implements OtlpExporter {
  readonly name: string;
  private readonly lifecycle: Lifecycle;
  private transport: ClosableTransport | undefined;
  private readonly queue: PQueue | undefined;
  private waiting = 0;
  private sendingCount = 0;
  private heldBytes = 0;
  private readonly inFlight = createInFlight();
  private readonly stopping = new AbortController();
  private readonly abort = new AbortController();
  private readonly logger: Logger;
  private readonly metrics: ExporterMetrics;
  private readonly requestHeaders: RequestHeaders;

  constructor(
    private readonly options: ResolvedOptions,
    telemetry: OtlpExporterOptions,
    /** Tests inject a transport; otherwise start() builds HTTP or gRPC. */
    private readonly transportFactory?: (o: ResolvedOptions) => Promise<ClosableTransport>,
  ) {
    // Every attempt in flight listens on these; more than 10 at once is normal, not a leak.
    setMaxListeners(0, this.stopping.signal, this.abort.signal);
    this.name = options.name;
    this.lifecycle = createLifecycle(`otlp exporter ${options.name}`, {
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    });
    this.logger = getLogger(telemetry, 'otlp-exporter');
    const meter = getMeter(telemetry, 'otlp-exporter');
    this.metrics = new ExporterMetrics(meter, options.name);
    this.requestHeaders = new RequestHeaders(options);
    if (options.sendingQueue.enabled) {
      this.queue = new PQueue({ concurrency: options.sendingQueue.numConsumers });
      this.metrics.observeQueue(() => this.waiting, options.sendingQueue.queueSize, meter);
    }
  }

  get queueSize(): number {
    return this.waiting;
  }

  get sending(): number {
    return this.sendingCount;
  }

  start(): Promise<void> {
    return this.lifecycle.start(async () => {
      await this.requestHeaders.load();
      this.transport = this.transportFactory
        ? await this.transportFactory(this.options)
        : await buildTransport(this.options);
      this.logger.info(
        { endpoint: this.options.endpoint, protocol: this.options.protocol },
        'otlp exporter started',
      );
    });
  }

  consume(batch: Batch): Promise<Outcome> {
    const refused = this.lifecycle.refusal();
    if (refused) return Promise.resolve(refused);
    if (batch.itemCount === 0) return Promise.resolve(ok());
    if (!this.queue) return this.inFlight.track(this.export(batch));

    const { queueSize, queueSizeBytes } = this.options.sendingQueue;
    const size = batch.bytes.byteLength;
    // A batch larger than the byte budget alone still goes when nothing else is held, or it would never go.
    if (this.waiting >= queueSize || (this.heldBytes > 0 && this.heldBytes + size > queueSizeBytes)) {
      this.metrics.recordEnqueueFailed(batch.signal, batch.itemCount);
      const why = this.waiting >= queueSize ? `${queueSize} batches` : `${queueSizeBytes} bytes`;
      return Promise.resolve(backpressure(`otlp exporter ${this.name}: sending queue full (${why})`));
    }
    this.waiting++;
    this.heldBytes += size;
    const task = async (): Promise<Outcome> => {
      this.waiting--;
      try {
        return await this.export(batch);
      } finally {
        this.heldBytes -= size;
      }
    };
    return this.inFlight.track(
      this.queue
        .add(task)
        .catch((e: unknown) =>
          retryable(new PipelineError('ERR_INTERNAL', 'sending queue failed', { cause: e })),
        ),
    );
  }

  /** One batch to the backend, with retries; never rejects. */
  private async export(batch: Batch): Promise<Outcome> {
    this.sendingCount++;
    try {
      const result = await this.sendBatch(batch);
      return this.toOutcome(batch, result);
    } catch (e) {
      // A bug must not count as delivered.
      return this.toOutcome(batch, {
        kind: 'retryable',
        error: new PipelineError('ERR_INTERNAL', String(e), { cause: e }),
      });
    } finally {
      this.sendingCount--;
    }
  }

  private async sendBatch(batch: Batch): Promise<AttemptResult> {
    const transport = this.transport!;
    const body = await transport.prepare(batch.signal, batch.bytes);
    if (!isPrepared(body)) return body;
    const headers = await this.requestHeaders.of(batch);
    if (headers instanceof PipelineError) return { kind: 'permanent', error: headers };
    const prepared = headers ? { ...body, headers } : body;
    const { result } = await sendWithRetry(
      (abort, previousAttempts) => transport.send(prepared, abort, previousAttempts),
      this.options.retryOnFailure,
      { stopping: this.stopping.signal, abort: this.abort.signal },
      (r, attempt, delayMs) => {
        const fields = {
          signal: batch.signal,
          items: batch.itemCount,
          attempt,
          delayMs,
          err: r.error.message,
        };
        // No answer in time: the backend may still have accepted it, so the retry can deliver it twice (at-least-once).
        if (r.error.code === 'ERR_TIMEOUT')
          this.logger.warn(fields, 'export attempt timed out, will retry; the backend may have accepted it');
        else this.logger.debug(fields, 'export failed, will retry');
      },
    );
    return result;
  }

  private toOutcome(batch: Batch, r: AttemptResult): Outcome {
    const { signal, itemCount } = batch;
    switch (r.kind) {
      case 'ok': {
        const rejected = Math.min(r.rejectedItems, itemCount);
        this.metrics.recordSent(signal, itemCount - rejected);
        if (rejected > 0) {
          this.metrics.recordFailed(signal, rejected, 'partial');
          this.logger.warn({ signal, items: itemCount, rejected, message: r.message }, 'partial success');
          return partial(rejected, r.message || `${rejected} of ${itemCount} items rejected by the backend`);
        }
        if (r.message) this.logger.warn({ signal, items: itemCount, message: r.message }, 'backend warning');
        return ok();
      }
      case 'permanent':
        this.metrics.recordFailed(signal, itemCount, 'permanent');
        this.logger.error({ signal, items: itemCount, err: r.error.message }, 'export failed permanently');
        return permanent(r.error);
      case 'retryable':
        this.metrics.recordFailed(signal, itemCount, 'retryable');
        this.logger.warn(
          { signal, items: itemCount, err: r.error.message },
          'export failed, returned for redelivery',
        );
        return retryable(r.error, r.retryAfterMs);
    }
  }

  /**
   * Refuses new data, ends waits between retries (queued batches still get
   * their one attempt), waits for the sends until the deadline (the caller's
   * time left, capped by shutdownTimeoutMs), aborts what still runs, then closes.
   */
  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.lifecycle.shutdown(async ({ deadline }) => {
      this.stopping.abort();
      let drained = await this.inFlight.drain(deadline.remainingMs());
      if (!drained) {
        this.logger.warn({ pending: this.inFlight.size }, 'shutdown timeout: aborting sends still in flight');
        this.abort.abort();
        drained = await this.inFlight.drain(Math.min(this.options.timeoutMs, ABORT_GRACE_MS));
      }
      this.metrics.close();
      if (this.transport) await (drained ? this.transport.close() : this.transport.destroy());
      this.logger.info('otlp exporter shut down');
    }, options);
  }
}

async function buildTransport(o: ResolvedOptions): Promise<ClosableTransport> {
  const tls = await loadTls(o.tls);
  try {
    return o.protocol === 'grpc' ? new GrpcTransport(o, tls) : new HttpTransport(o, tls);
  } catch (e) {
    // Bad TLS material or header names surface here, at start.
    throw toPipelineError(e, 'ERR_INVALID_OPTIONS');
  }
}
