import {
  PipelineError,
  backpressure,
  createInFlight,
  createLifecycle,
  ok,
  outcomeKind,
  partial,
  permanent,
  refusalOf,
  rejectedItemsOf,
  retryable,
  safeConsume,
  type Batch,
  type Consumer,
  type Lifecycle,
  type Logger,
  type Outcome,
  type Processor,
  type ShutdownOptions,
} from '@otlp-kafka/core';
import { mergeBatches, splitBatch } from '@otlp-kafka/pdata';
import { Caller } from './caller.js';
import { attributePartial, isolate, type IsolationContext } from './isolate.js';
import type { BatcherMetrics } from './metrics.js';
import { Pending, keyOf, type Piece } from './pending.js';
import { Placer, type Limits } from './placer.js';

export interface BatcherConfig extends Limits {
  name: string;
  timeoutMs: number;
  maxConcurrentSends: number;
  lingerMs: number;
  metadataKeys: readonly string[];
  metadataCardinalityLimit: number;
  maxPendingBytes: number;
  maxPendingItems: number;
  retryAfterMs: number;
  shutdownTimeoutMs: number;
  logger: Logger;
  metrics: (state: BatcherState) => BatcherMetrics;
}

export interface BatcherState {
  cardinality(): number;
  heldBytes(): number;
  sendsInFlight(): number;
}

export type SendTrigger = 'size' | 'timeout' | 'slot' | 'shutdown';

/**
 * Collects callers' batches into outgoing batches per key and settles every
 * caller with the outcome of the outgoing batches that carried its items.
 *
 * Group commit: callers wait for their outcome, so waiting for more data while
 * the next consumer is idle only slows them (an SDK exports one batch at a
 * time and drops what its queue cannot hold). A partly filled batch goes as
 * soon as its key has a free send slot (at the end of the event-loop turn, or
 * after `lingerMs`); while `maxConcurrentSends` sends are in flight, arrivals
 * gather and go when one returns. A batch that reaches `sendBatchSize` goes at
 * once; `timeoutMs` is only the longest any item waits.
 */
export class BatchProcessor implements Processor {
  private readonly pendings = new Map<string, Pending>();
  private readonly waiting = new Set<Caller>();
  private readonly sends = createInFlight();
  private readonly metrics: BatcherMetrics;
  private readonly placer: Placer;
  private heldBytes = 0;
  private inFlightSends = 0;
  private heldItems = 0;
  private readonly lifecycle: Lifecycle;

  constructor(
    private readonly next: Consumer,
    private readonly config: BatcherConfig,
  ) {
    this.metrics = config.metrics({
      cardinality: () => this.pendings.size,
      heldBytes: () => this.heldBytes,
      sendsInFlight: () => this.inFlightSends,
    });
    this.placer = new Placer(config, (pending) => this.flush(pending, 'size'));
    this.lifecycle = createLifecycle(config.name, { shutdownTimeoutMs: config.shutdownTimeoutMs });
  }

  start(): Promise<void> {
    return this.lifecycle.start(() => {});
  }

  consume(batch: Batch): Promise<Outcome> {
    const c = this.config;
    const refused = this.lifecycle.refusal();
    if (refused)
      return this.refuse(
        batch,
        refusalOf(refused)?.code === 'ERR_SHUTDOWN' ? 'shutdown' : 'not_started',
        refused,
      );
    if (batch.itemCount === 0) return Promise.resolve(ok());
    const bytes = batch.bytes.length;
    if (bytes > c.maxPendingBytes || batch.itemCount > c.maxPendingItems) {
      // Larger than all the room there is: passed on in pieces of at most half
      // of it, one after another, rather than refused (the data is fine).
      const pieces = splitBatch(batch, {
        maxItems: Math.max(1, Math.floor(c.maxPendingItems / 2)),
        maxBytes: Math.max(1, Math.floor(c.maxPendingBytes / 2)),
      });
      if (pieces.isOk() && pieces.value.length > 1) return this.consumeInPieces(pieces.value);
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
    }
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
    this.arrived(pending);
    return caller.promise;
  }

  /**
   * The pieces of an oversized request, each waiting for its own outcome. A
   * piece refused for a reason the sender should retry ends it with that
   * outcome (a retry sends the whole request again: at least once); pieces
   * refused for good add up to a partial, or permanent when all were.
   */
  private async consumeInPieces(pieces: readonly Batch[]): Promise<Outcome> {
    let rejected = 0;
    let total = 0;
    let lastPermanent: Outcome | undefined;
    for (const piece of pieces) {
      total += piece.itemCount;
      const outcome = await this.consume(piece);
      const kind = outcomeKind(outcome);
      if (kind === 'partial') rejected += rejectedItemsOf(outcome) ?? 0;
      else if (kind === 'permanent') {
        rejected += piece.itemCount;
        lastPermanent = outcome;
      } else if (kind !== 'ok') return outcome;
    }
    if (rejected === 0) return ok();
    if (rejected >= total && lastPermanent) return lastPermanent;
    return partial(
      rejected,
      `${this.config.name}: ${rejected} of ${total} items refused by the next consumer`,
    );
  }

  /** Sends everything pending at once, waits for the outcomes until the deadline; callers still waiting then get retryable. */
  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.lifecycle.shutdown(async ({ deadline }) => {
      for (const pending of this.pendings.values()) this.flush(pending, 'shutdown');
      this.pendings.clear();
      const budgetMs = deadline.remainingMs();
      const drained = await this.sends.drain(budgetMs);
      if (!drained) {
        const error = new PipelineError(
          'ERR_TIMEOUT',
          `${this.config.name}: shut down before the next consumer answered within ${budgetMs} ms`,
        );
        this.config.logger.warn(
          { callers: this.waiting.size },
          'batcher shutdown timed out; callers get retryable',
        );
        for (const caller of [...this.waiting]) caller.abandon(retryable(error));
      }
      this.metrics.close();
    }, options);
  }

  private refuse(
    batch: Batch,
    reason: Parameters<BatcherMetrics['refusedItems']>[2],
    outcome: Outcome,
  ): Promise<Outcome> {
    this.metrics.refusedItems(batch.signal, batch.itemCount, reason);
    return Promise.resolve(outcome);
  }

  private release(caller: Caller): void {
    this.waiting.delete(caller);
    this.heldBytes -= caller.bytes;
    this.heldItems -= caller.items;
  }

  /** After a caller's data was placed: send now, at the end of the turn, when a slot frees, or at the timeout. */
  private arrived(pending: Pending): void {
    if (pending.empty) return this.forgetIfIdle(pending);
    if (this.config.timeoutMs === 0) return this.flush(pending, 'timeout');
    if (!pending.timer) this.arm(pending);
    if (pending.inFlight < this.config.maxConcurrentSends) this.scheduleDispatch(pending);
  }

  /**
   * Sends what gathered in this event-loop turn (several requests parsed in one
   * I/O phase share a batch at no cost in latency) or within the linger. Not
   * unref'd: it is bounded and short, and a caller is waiting on it.
   */
  private scheduleDispatch(pending: Pending): void {
    if (pending.dispatchScheduled) return;
    const run = () => {
      pending.dispatchImmediate = undefined;
      pending.dispatchTimer = undefined;
      if (!pending.empty && pending.inFlight < this.config.maxConcurrentSends) this.flush(pending, 'slot');
    };
    if (this.config.lingerMs > 0) pending.dispatchTimer = setTimeout(run, this.config.lingerMs);
    else pending.dispatchImmediate = setImmediate(run);
  }

  /** One of the key's sends returned: what gathered meanwhile goes now. */
  private sendReturned(pending: Pending): void {
    pending.inFlight--;
    this.inFlightSends--;
    if (!pending.empty) {
      if (pending.inFlight < this.config.maxConcurrentSends) this.flush(pending, 'slot');
      return;
    }
    this.forgetIfIdle(pending);
  }

  private forgetIfIdle(pending: Pending): void {
    if (pending.idle && this.pendings.get(pending.key) === pending) this.pendings.delete(pending.key);
  }

  private arm(pending: Pending): void {
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => {
      pending.timer = undefined;
      this.flush(pending, 'timeout');
    }, this.config.timeoutMs);
    pending.timer.unref();
  }

  /** Sends everything pending as one outgoing batch; its outcome settles the callers in it. */
  private flush(pending: Pending, trigger: SendTrigger): void {
    if (pending.empty) return;
    const pieces = pending.take();
    const merged = mergeBatches(
      pieces.map((p) => p.batch),
      pending.metadata,
    );
    if (merged.isErr()) {
      const outcome = permanent(
        new PipelineError('ERR_INVALID_DATA', `${this.config.name}: ${merged.error.message}`, {
          cause: merged.error,
        }),
      );
      for (const p of pieces) p.caller.pieceDone(outcome);
      this.forgetIfIdle(pending);
      return;
    }
    const out = merged.value;
    this.metrics.sent(out.itemCount, out.bytes.length, trigger);
    pending.inFlight++;
    this.inFlightSends++;
    void this.sends.track(
      safeConsume(this.next, out).then(async (outcome) => {
        if (isolable(pieces, outcome)) await this.isolate(pending, pieces, outcome);
        else if (outcome.isOk() && outcome.value.kind === 'partial')
          await this.attributePartial(pending, pieces, outcome);
        else for (const p of pieces) p.caller.pieceDone(outcome);
        this.sendReturned(pending);
      }),
    );
  }

  /**
   * The downstream refused a merged batch for good: each caller's part is
   * sent again alone, and bisected when refused again (isolate.ts). The key's
   * send slot stays taken meanwhile, so the resends count against
   * maxConcurrentSends like any send.
   */
  private async isolate(pending: Pending, pieces: readonly Piece[], refusal: Outcome): Promise<void> {
    const signal = pieces[0]!.batch.signal;
    let resends = 0;
    await isolate(
      this.isolationContext(pending, () => resends++),
      pieces,
      refusal,
    );
    this.config.logger.warn(
      { signal, callers: new Set(pieces.map((p) => p.caller)).size, resends, err: refusalOf(refusal) },
      "downstream refused a merged batch for good; resent each caller's part alone to isolate the refused items",
    );
  }

  /**
   * The downstream accepted an outgoing batch in part: which callers' items
   * it refused is found out (isolate.ts), so that a caller all of whose items
   * were refused gets that refusal, not a 200 with partial_success.
   */
  private async attributePartial(
    pending: Pending,
    pieces: readonly Piece[],
    outcome: Outcome,
  ): Promise<void> {
    let resends = 0;
    await attributePartial(
      this.isolationContext(pending, () => resends++),
      pieces,
      outcome,
    );
    if (resends > 0)
      this.config.logger.warn(
        {
          signal: pieces[0]!.batch.signal,
          callers: new Set(pieces.map((p) => p.caller)).size,
          resends,
          rejectedItems: rejectedItemsOf(outcome),
        },
        "downstream accepted a merged batch in part; resent the callers' parts that may have been refused whole, alone",
      );
  }

  private isolationContext(pending: Pending, counted: () => void): IsolationContext {
    return {
      next: this.next,
      metadata: pending.metadata,
      resent: (s, items) => {
        counted();
        this.metrics.isolationResend(s, items);
      },
    };
  }
}

/** A permanent refusal of more than one item may have been caused by a few of them: worth finding which. */
function isolable(pieces: readonly Piece[], outcome: Outcome): boolean {
  if (!outcome.isErr() || outcome.error.kind !== 'permanent') return false;
  return pieces.length > 1 || (pieces[0]?.batch.itemCount ?? 0) > 1;
}
