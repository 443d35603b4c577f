import {
  PipelineError,
  backpressure,
  createInFlight,
  ok,
  partial,
  permanent,
  retryable,
  safeConsume,
  type Batch,
  type Consumer,
  type Logger,
  type Outcome,
  type Processor,
} from '@otlp-kafka/core';
import { mergeBatches } from '@otlp-kafka/pdata';
import { Caller } from './caller.js';
import type { BatcherMetrics } from './metrics.js';
import { Pending, keyOf, type Piece } from './pending.js';
import { Placer, type Limits } from './placer.js';

export interface BatcherConfig extends Limits {
  name: string;
  timeoutMs: number;
  metadataKeys: readonly string[];
  metadataCardinalityLimit: number;
  maxPendingBytes: number;
  maxPendingItems: number;
  retryAfterMs: number;
  shutdownTimeoutMs: number;
  logger: Logger;
  metrics: (state: { cardinality(): number; heldBytes(): number }) => BatcherMetrics;
}

/**
 * Collects callers' batches into outgoing batches per key and settles every
 * caller with the outcome of the outgoing batches that carried its items.
 */
export class BatchProcessor implements Processor {
  private readonly pendings = new Map<string, Pending>();
  private readonly waiting = new Set<Caller>();
  private readonly sends = createInFlight();
  private readonly metrics: BatcherMetrics;
  private readonly placer: Placer;
  private heldBytes = 0;
  private heldItems = 0;
  private closed = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly next: Consumer,
    private readonly config: BatcherConfig,
  ) {
    this.metrics = config.metrics({ cardinality: () => this.pendings.size, heldBytes: () => this.heldBytes });
    this.placer = new Placer(config, (pending) => this.flush(pending, 'size'));
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  consume(batch: Batch): Promise<Outcome> {
    const c = this.config;
    if (this.closed) return this.refuse(batch, 'shutdown', retryable(new PipelineError('ERR_SHUTDOWN', `${c.name}: shutting down`)));
    if (batch.itemCount === 0) return Promise.resolve(ok());
    const bytes = batch.bytes.length;
    if (bytes > c.maxPendingBytes || batch.itemCount > c.maxPendingItems)
      return this.refuse(
        batch,
        'too_large',
        permanent(
          new PipelineError(
            'ERR_INVALID_DATA',
            `${c.name}: a request of ${bytes} bytes and ${batch.itemCount} items can never fit maxPendingBytes ${c.maxPendingBytes} / maxPendingItems ${c.maxPendingItems}`,
          ),
        ),
      );
    if (this.heldBytes + bytes > c.maxPendingBytes || this.heldItems + batch.itemCount > c.maxPendingItems)
      return this.refuse(
        batch,
        'backpressure',
        backpressure(
          new PipelineError(
            'ERR_BACKPRESSURE',
            `${c.name}: ${this.heldBytes} bytes / ${this.heldItems} items pending (limits ${c.maxPendingBytes} / ${c.maxPendingItems})`,
          ),
          c.retryAfterMs,
        ),
      );
    const { key, metadata } = keyOf(batch, c.metadataKeys);
    let pending = this.pendings.get(key);
    if (!pending) {
      if (this.pendings.size >= c.metadataCardinalityLimit)
        return this.refuse(
          batch,
          'cardinality',
          backpressure(
            new PipelineError(
              'ERR_BACKPRESSURE',
              `${c.name}: ${this.pendings.size} metadata combinations pending, the limit (metadataCardinalityLimit)`,
            ),
            c.retryAfterMs,
          ),
        );
      pending = new Pending(key, metadata);
      this.pendings.set(key, pending);
    }
    const caller = new Caller(bytes, batch.itemCount, (settled) => this.release(settled));
    this.heldBytes += bytes;
    this.heldItems += batch.itemCount;
    this.waiting.add(caller);
    this.placer.place(pending, caller, batch);
    caller.seal();
    if (c.timeoutMs === 0) this.flush(pending, 'timeout');
    else if (!pending.empty && !pending.timer) this.arm(pending);
    if (pending.empty) this.pendings.delete(key);
    return caller.promise;
  }

  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      this.closed = true;
      for (const pending of this.pendings.values()) this.flush(pending, 'shutdown');
      this.pendings.clear();
      const drained = await this.sends.drain(this.config.shutdownTimeoutMs);
      if (!drained) {
        const error = new PipelineError(
          'ERR_TIMEOUT',
          `${this.config.name}: shut down before the next consumer answered within ${this.config.shutdownTimeoutMs} ms`,
        );
        this.config.logger.warn({ callers: this.waiting.size }, 'batcher shutdown timed out; callers get retryable');
        for (const caller of [...this.waiting]) caller.abandon(retryable(error));
      }
      this.metrics.close();
    })();
    return this.stopping;
  }

  private refuse(batch: Batch, reason: Parameters<BatcherMetrics['refusedItems']>[2], outcome: Outcome): Promise<Outcome> {
    this.metrics.refusedItems(batch.signal, batch.itemCount, reason);
    return Promise.resolve(outcome);
  }

  private release(caller: Caller): void {
    this.waiting.delete(caller);
    this.heldBytes -= caller.bytes;
    this.heldItems -= caller.items;
  }

  private arm(pending: Pending): void {
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => {
      pending.timer = undefined;
      this.flush(pending, 'timeout');
      if (pending.empty && this.pendings.get(pending.key) === pending) this.pendings.delete(pending.key);
    }, this.config.timeoutMs);
    pending.timer.unref();
  }

  /** Sends everything pending as one outgoing batch; its outcome settles the callers in it. */
  private flush(pending: Pending, trigger: 'size' | 'timeout' | 'shutdown'): void {
    if (pending.empty) return;
    const pieces = pending.take();
    const merged = mergeBatches(
      pieces.map((p) => p.batch),
      pending.metadata,
    );
    if (merged.isErr()) {
      const outcome = permanent(new PipelineError('ERR_INVALID_DATA', `${this.config.name}: ${merged.error.message}`, { cause: merged.error }));
      for (const p of pieces) p.caller.pieceDone(outcome);
      return;
    }
    const out = merged.value;
    this.metrics.sent(out.itemCount, out.bytes.length, trigger);
    void this.sends.track(safeConsume(this.next, out).then((outcome) => settlePieces(pieces, outcome)));
  }
}

/**
 * Gives each caller in an outgoing batch its outcome. A partial outcome names
 * only a count: every caller in the batch gets it, capped at its own items.
 */
function settlePieces(pieces: readonly Piece[], outcome: Outcome): void {
  if (outcome.isOk() && outcome.value.kind === 'partial') {
    const { rejectedItems, message } = outcome.value;
    const itemsOf = new Map<Caller, number>();
    for (const p of pieces) itemsOf.set(p.caller, (itemsOf.get(p.caller) ?? 0) + p.batch.itemCount);
    for (const p of pieces) {
      const items = itemsOf.get(p.caller);
      itemsOf.delete(p.caller);
      p.caller.pieceDone(items === undefined ? ok() : partial(Math.min(rejectedItems, items), message));
    }
    return;
  }
  for (const p of pieces) p.caller.pieceDone(outcome);
}
