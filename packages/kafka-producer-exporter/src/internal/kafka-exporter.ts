import {
  backpressure,
  createInFlight,
  createLifecycle,
  getLogger,
  ok,
  parseOptions,
  partial,
  permanent,
  PipelineError,
  retryable,
  toPipelineError,
  worst,
  type BackoffPolicy,
  type Batch,
  type InFlight,
  type Lifecycle,
  type Logger,
  type Outcome,
  type ShutdownOptions,
  type Signal,
} from '@otlp-kafka/core';
import type { KafkaExporter } from '../exporter.js';
import { defaultTopic, optionsSchema, type KafkaExporterOptions, type ResolvedOptions } from '../options.js';
import { QueueBudget, type Reservation } from './budget.js';
import { ProducerConnection } from './connection.js';
import { ExporterMetrics } from './metrics.js';
import { planMessages, type PartitionBy, type PlanConfig } from './plan.js';
import { producerConfig } from './rdkafka-config.js';
import { nativeProducerFactory, type RdProducer, type RdProducerFactory } from './rdkafka.js';
import { deliveryOutcome, produceAll } from './send.js';
import { DeliveryTracker } from './tracker.js';

/** Test seams, not part of the public API. */
export interface ExporterInternals {
  producerFactory?: RdProducerFactory;
  /** Monotonic clock in ms. Default performance.now(). */
  now?: () => number;
  /** How often to look for messages whose report never came. Default 1000. */
  sweepIntervalMs?: number;
  /** Reconnect backoff. Default CONNECT_BACKOFF (1 s doubling to 30 s, ±50% jitter). */
  backoff?: BackoffPolicy;
}

/** A report later than message.timeout.ms + linger + this is given up on (librdkafka should never be that late). */
export const REPORT_GRACE_MS = 10_000;

/** After shutdown refused what had no report by its deadline, how long the refusals may take to settle (they settle at once). */
const REFUSAL_GRACE_MS = 1000;

export class KafkaExporterImpl implements KafkaExporter {
  readonly options: ResolvedOptions;
  private readonly logger: Logger;
  private readonly metrics: ExporterMetrics;
  private readonly tracker: DeliveryTracker;
  private readonly connection: ProducerConnection;
  private readonly budget: QueueBudget;
  private readonly inFlight: InFlight = createInFlight();
  private readonly plan: PlanConfig;
  private readonly now: () => number;
  private readonly sweepIntervalMs: number;
  private readonly lifecycle: Lifecycle;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(input: KafkaExporterOptions | undefined, internals: ExporterInternals = {}) {
    const o = parseOptions('kafka-producer-exporter', optionsSchema, input);
    this.options = o;
    this.logger = getLogger(o, `kafka-producer-exporter/${o.name}`);
    this.metrics = new ExporterMetrics(o, o.name);
    this.now = internals.now ?? (() => performance.now());
    this.sweepIntervalMs = internals.sweepIntervalMs ?? 1000;
    this.tracker = new DeliveryTracker(this.now);
    this.lifecycle = createLifecycle(`kafka exporter ${o.name}`, {
      shutdownTimeoutMs: o.shutdownTimeoutMs,
      now: this.now,
    });
    this.budget = new QueueBudget(o.producer.queueMaxMessages, o.producer.queueMaxKbytes * 1024);
    this.plan = {
      encoding: o.encoding,
      maxMessageBytes: o.producer.maxMessageBytes,
      topicFromAttribute: o.topicFromAttribute,
      topicFromMetadataKey: o.topicFromMetadataKey,
      allowedTopics: o.allowedTopics ? new Set(o.allowedTopics) : undefined,
      defaultTopic: (s) => defaultTopic(o, s),
      partitionBy: (s) => partitionBy(o, s),
      staticHeaders: o.headers,
      headersFromMetadata: o.headersFromMetadata,
    };
    // librdkafka checks its configuration when the producer is created, in start(): see ProducerConnection.
    this.connection = new ProducerConnection({
      factory: internals.producerFactory ?? nativeProducerFactory,
      config: producerConfig(o),
      connectTimeoutMs: o.connectTimeoutMs,
      onReport: this.tracker.onReport,
      logger: this.logger,
      ...(internals.backoff ? { backoff: internals.backoff } : {}),
    });
  }

  /** Whether a producer is connected right now. */
  get connected(): boolean {
    return this.connection.current() !== undefined;
  }

  start(): Promise<void> {
    return this.lifecycle.start(async () => {
      const maxAgeMs =
        this.options.producer.messageTimeoutMs + this.options.producer.lingerMs + REPORT_GRACE_MS;
      this.sweeper = setInterval(() => {
        const swept = this.tracker.sweep(maxAgeMs);
        if (swept > 0)
          this.logger.error(
            { swept, maxAgeMs },
            'kafka delivery reports overdue; messages refused as retryable',
          );
      }, this.sweepIntervalMs);
      this.sweeper.unref();
      // Kafka down at start is not fatal: consume() refuses as retryable until a reconnect succeeds.
      await this.connection.connect();
      // A configuration librdkafka refuses is: no reconnect can fix it.
      if (this.connection.configError) {
        clearInterval(this.sweeper);
        throw this.connection.configError;
      }
    });
  }

  consume(batch: Batch): Promise<Outcome> {
    const refused = this.lifecycle.refusal();
    if (refused) return Promise.resolve(refused);
    return this.inFlight.track(this.send(batch));
  }

  /**
   * Refuses new data, waits until the deadline (the caller's time left, capped
   * by shutdownTimeoutMs) for librdkafka to deliver and report, refuses what
   * is still unreported as retryable, then disconnects within what is left.
   */
  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.lifecycle.shutdown(async ({ deadline, started }) => {
      if (started) {
        const budgetMs = Math.round(deadline.remainingMs());
        const [, drained] = await Promise.all([
          this.connection.flush(budgetMs),
          this.inFlight.drain(budgetMs),
        ]);
        if (!drained) {
          this.logger.warn(
            { pending: this.tracker.size },
            'kafka exporter shutdown timed out waiting for delivery reports',
          );
          this.tracker.failAll(`shutdown after ${budgetMs} ms before the delivery report`);
          await this.inFlight.drain(REFUSAL_GRACE_MS);
        }
      }
      clearInterval(this.sweeper);
      await this.connection.close(Math.round(deadline.remainingMs()));
    }, options);
  }

  private async send(batch: Batch): Promise<Outcome> {
    try {
      return await this.sendPlanned(batch);
    } catch (e) {
      // A bug must never look like a delivery.
      this.metrics.items(batch.signal, 0, batch.itemCount);
      this.logger.error({ err: e }, 'kafka exporter failed unexpectedly');
      return retryable(toPipelineError(e));
    }
  }

  private async sendPlanned(batch: Batch): Promise<Outcome> {
    const planned = planMessages(batch, this.plan);
    if (planned.isErr()) {
      this.metrics.items(batch.signal, 0, batch.itemCount);
      return permanent(planned.error);
    }
    const {
      messages,
      rejectedItems: tooLargeItems,
      rejectedReason,
      unroutedItems,
      unroutedReason,
    } = planned.value;
    const rejectedItems = tooLargeItems + unroutedItems;
    const why = [
      ...(tooLargeItems > 0
        ? [`${tooLargeItems} ${batch.signal} items too large for Kafka: ${rejectedReason}`]
        : []),
      ...(unroutedItems > 0
        ? [`${unroutedItems} ${batch.signal} items not produced: ${unroutedReason}`]
        : []),
    ].join('; ');
    const tooLarge = rejectedItems > 0 ? partial(rejectedItems, why) : ok();
    if (messages.length === 0) {
      this.metrics.items(batch.signal, 0, rejectedItems);
      if (unroutedItems > 0) return permanent(new PipelineError('ERR_KAFKA_TOPIC_NOT_ALLOWED', why));
      return tooLargeItems > 0
        ? permanent(new PipelineError('ERR_KAFKA_TOO_LARGE', `${rejectedReason}`))
        : ok();
    }
    const admitted = this.admit(
      messages.length,
      messages.reduce((n, m) => n + m.size, 0),
    );
    if ('outcome' in admitted) {
      this.metrics.items(batch.signal, 0, batch.itemCount);
      return admitted.outcome;
    }
    const { producer, reservation } = admitted;
    const deliveries = await produceAll(producer, this.tracker, messages, reservation, (d) =>
      this.metrics.delivery(d),
    );
    const outcome = worst([deliveryOutcome(deliveries, messages.length), tooLarge]);
    if (outcome.isOk()) this.metrics.items(batch.signal, batch.itemCount - rejectedItems, rejectedItems);
    else this.metrics.items(batch.signal, 0, batch.itemCount);
    return outcome;
  }

  private admit(
    count: number,
    bytes: number,
  ): { outcome: Outcome } | { producer: RdProducer; reservation: Reservation } {
    const producer = this.connection.current();
    if (!producer) {
      const cause = this.connection.lastError;
      return {
        outcome: retryable(
          new PipelineError(
            'ERR_KAFKA_NOT_CONNECTED',
            cause ? cause.message : 'kafka producer is not connected yet',
            { cause },
          ),
        ),
      };
    }
    const reservation = this.budget.tryReserve(count, bytes);
    if (!reservation) {
      const b = this.budget;
      return {
        outcome: backpressure(
          new PipelineError(
            'ERR_BACKPRESSURE',
            `kafka producer queue is full: ${b.usedMessages} messages / ${b.usedBytes} bytes await delivery reports ` +
              `(producer.queueMaxMessages ${b.maxMessages}, producer.queueMaxKbytes ${b.maxBytes / 1024}); ` +
              `this batch needs ${count} messages / ${bytes} bytes`,
          ),
        ),
      };
    }
    return { producer, reservation };
  }
}

function partitionBy(o: ResolvedOptions, signal: Signal): PartitionBy {
  switch (signal) {
    case 'traces':
      return o.partitionTracesById ? 'traceId' : 'none';
    case 'metrics':
      return o.partitionMetricsByResourceAttributes ? 'resource' : 'none';
    case 'logs':
      if (o.partitionLogsByTraceId) return 'traceId';
      return o.partitionLogsByResourceAttributes ? 'resource' : 'none';
  }
}
