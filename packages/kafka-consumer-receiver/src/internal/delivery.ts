import type { Message } from '@otlp-kafka/kafka-client';
import {
  PipelineError,
  createBackoff,
  safeConsume,
  sleep,
  type Backoff,
  type BackoffPolicy,
  type Batch,
  type Consumer,
  type Logger,
  type Signal,
} from '@otlp-kafka/core';
import type { DeadLetterSink } from './dead-letter.js';
import { decodeRecord, type HeaderExtraction } from './decode.js';
import type { FlowControl } from './flow-control.js';
import type { LogThrottle } from './log-throttle.js';
import type { ReceiverMetrics, SkipReason } from './metrics.js';
import type { PartitionRegistry, PartitionState } from './partition-state.js';
import type { TopicRouter } from './routing.js';

export interface DeliveryContext {
  readonly router: TopicRouter;
  readonly consumers: ReadonlyMap<Signal, Consumer>;
  readonly extraction: HeaderExtraction;
  /** Core's backoff (the Collector's semantics); no maxElapsedMs: a retryable record is redelivered until accepted, never skipped. */
  readonly backoff: BackoffPolicy;
  readonly random: () => number;
  readonly flow: FlowControl;
  readonly partitions: PartitionRegistry;
  readonly deadLetter: DeadLetterSink | undefined;
  readonly metrics: ReceiverMetrics;
  readonly logger: Logger;
  /** Bounds the lines about refused records (one per record otherwise: a poison stream would flood the log). */
  readonly refusalLog: LogThrottle;
  /** Aborted at the shutdown deadline: redelivery loops give up (the records stay uncommitted). */
  readonly stopSignal: AbortSignal;
  /** The message is done with: its offset may become committable. */
  acknowledge(state: PartitionState, offset: number): void;
  /** A partition's hold changed: pauses may need updating. */
  flowChanged(): void;
}

/**
 * One record's way through the pipeline: decode, deliver, redeliver with
 * backoff until accepted (never skipped), or dead-letter / skip when refused
 * for good. Resolves when the record is acknowledged or abandoned (its
 * partition was released, or shutdown's deadline passed).
 */
export async function deliver(ctx: DeliveryContext, message: Message, state: PartitionState): Promise<void> {
  const binding = ctx.router.route(message.topic);
  if (!binding) {
    const error = new PipelineError('ERR_INVALID_DATA', `no signal is configured for topic ${message.topic}`);
    return reject(ctx, message, state, error, 'undecodable');
  }
  const decoded = decodeRecord(binding, message, ctx.extraction);
  if (decoded.isErr()) {
    ctx.metrics.undecodable(binding.signal, message.topic);
    return reject(ctx, message, state, decoded.error, 'undecodable');
  }
  const batch = decoded.value;
  const next = ctx.consumers.get(binding.signal);
  if (!next) throw new PipelineError('ERR_INTERNAL', `no consumer connected for ${binding.signal}`);
  const retry = new Redelivery(ctx, state);
  try {
    for (;;) {
      const outcome = await safeConsume(next, batch);
      if (!ctx.partitions.isCurrent(state)) return;
      if (outcome.isOk()) {
        const rejected = outcome.value.kind === 'partial' ? outcome.value.rejectedItems : 0;
        ctx.metrics.accept(batch.signal, batch.itemCount, rejected);
        if (rejected > 0)
          logPartial(
            ctx.logger,
            message,
            rejected,
            outcome.value.kind === 'partial' ? outcome.value.message : '',
          );
        ctx.acknowledge(state, message.offset);
        return;
      }
      const refused = outcome.error;
      if (refused.kind === 'permanent') {
        ctx.metrics.refuse(batch.signal, batch.itemCount);
        retry.end();
        return await reject(ctx, message, state, refused.error, 'permanent', batch);
      }
      ctx.metrics.redelivery(message.topic, refused.kind);
      if (!(await retry.wait(refused.retryAfterMs, refused.error))) return;
    }
  } finally {
    retry.end();
  }
}

/** Refused for good: to the dead-letter topic (acknowledged once Kafka has it), or counted and skipped. */
async function reject(
  ctx: DeliveryContext,
  message: Message,
  state: PartitionState,
  error: PipelineError,
  reason: SkipReason,
  batch?: Batch,
): Promise<void> {
  const where = {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    code: error.code,
  };
  if (ctx.deadLetter) {
    const retry = new Redelivery(ctx, state);
    try {
      for (;;) {
        try {
          await ctx.deadLetter.send({
            value: message.value,
            key: message.key,
            headers: message.headers ?? [],
            sourceTopic: message.topic,
            sourcePartition: message.partition,
            sourceOffset: message.offset,
            error,
            failedAt: new Date(),
          });
          break;
        } catch (e) {
          if (!ctx.partitions.isCurrent(state)) return;
          ctx.logger.error({ ...where, err: e }, 'dead-letter write failed; retrying');
          if (!(await retry.wait(undefined, e))) return;
        }
      }
    } finally {
      retry.end();
    }
    if (!ctx.partitions.isCurrent(state)) return;
    ctx.metrics.deadLetter(message.topic, reason);
    const admitted = ctx.refusalLog.admit(`${message.topic}|${reason}`);
    if (admitted)
      ctx.logger.warn(
        { ...where, ...compact(error), items: batch?.itemCount, ...suppressedField(admitted) },
        `${reason} record sent to the dead-letter topic`,
      );
  } else {
    if (!ctx.partitions.isCurrent(state)) return;
    ctx.metrics.skip(message.topic, reason);
    const admitted = ctx.refusalLog.admit(`${message.topic}|${reason}`);
    if (admitted)
      ctx.logger.error(
        { ...where, ...compact(error), items: batch?.itemCount, ...suppressedField(admitted) },
        `${reason} record skipped (no dead-letter topic configured)`,
      );
  }
  ctx.acknowledge(state, message.offset);
}

/** Backoff between attempts; holds the partition paused from the first failure until end(). */
class Redelivery {
  private readonly backoff: Backoff;
  private held = false;
  private attempts = 0;

  constructor(
    private readonly ctx: DeliveryContext,
    private readonly state: PartitionState,
  ) {
    this.backoff = createBackoff(ctx.backoff, { random: ctx.random });
  }

  /** Resolves false when the record must be abandoned (partition released, or shutdown deadline). */
  async wait(retryAfterMs: number | undefined, cause: unknown): Promise<boolean> {
    if (!this.held) {
      this.held = true;
      this.ctx.flow.hold(this.state.id);
      this.ctx.flowChanged();
    }
    const delayMs = this.backoff.next(retryAfterMs);
    this.attempts++;
    const log = this.attempts === 1 || this.attempts % 10 === 0 ? 'warn' : 'debug';
    this.ctx.logger[log](
      { key: this.state.key, attempts: this.attempts, delayMs, err: cause },
      'record refused; redelivering after backoff',
    );
    const elapsed = await sleep(delayMs, this.state.abort.signal, this.ctx.stopSignal);
    return elapsed && this.ctx.partitions.isCurrent(this.state);
  }

  end(): void {
    if (!this.held) return;
    this.held = false;
    this.ctx.flow.unhold(this.state.id);
    this.ctx.flowChanged();
  }
}

function logPartial(logger: Logger, message: Message, rejected: number, reason: string): void {
  logger.warn(
    { topic: message.topic, partition: message.partition, offset: message.offset, rejected, reason },
    'pipeline rejected part of a record',
  );
}

/** The refusal's reason without a stack trace (it is the data's fault, not the code's), capped in length. */
function compact(error: PipelineError): { reason: string } {
  const reason = error.message;
  return { reason: reason.length > 300 ? `${reason.slice(0, 300)}...` : reason };
}

const suppressedField = (a: { suppressed: number }) => (a.suppressed > 0 ? { suppressed: a.suppressed } : {});
