import {
  PipelineError,
  createInFlight,
  createLifecycle,
  deadlineIn,
  getLogger,
  getMeter,
  invalidOptions,
  sleep,
  withTimeout,
  type Consumer,
  type Deadline,
  type Lifecycle,
  type Logger,
  type Receiver,
  type ShutdownOptions,
  type Signal,
  type StopContext,
  type TelemetryOptions,
} from '@otlp-kafka/core';
import { isConnectFailure } from '@otlp-kafka/kafka-client';
import type { ParsedOptions } from '../options.js';
import {
  commitOffsets,
  consumeBatch,
  disconnectClient,
  partitionKey,
  queryCommitted,
  queryWatermarks,
  type ConsumerClient,
  type ConsumerFactory,
  type LibrdKafkaError,
  type Message,
  type TopicPartition,
  type TopicPartitionOffset,
} from './client.js';
import { CLEANUP_TIMEOUT_MS, connectWithin, disconnectQuietly } from './connect.js';
import type { DeadLetterSink, DeadLetterSinkFactory } from './dead-letter.js';
import { stderrLogger } from './default-logger.js';
import { toConsumer, type BatchHandler } from './handler.js';
import { createLogThrottle } from './log-throttle.js';
import { deliver, type DeliveryContext } from './delivery.js';
import { FlowControl } from './flow-control.js';
import { LagMonitor, type PartitionLag } from './lag.js';
import { consumerConfig, deadLetterProducerConfig } from './librdkafka-config.js';
import { ReceiverMetrics } from './metrics.js';
import type { PartitionState } from './partition-state.js';
import { PartitionRegistry } from './partition-state.js';
import { RebalanceHandler } from './rebalance.js';
import { TopicRouter, offeredSignals, resolveBindings } from './routing.js';

export interface KafkaReceiver extends Receiver {
  /**
   * Wires a signal to its pipeline, before start(): a Consumer, or a plain
   * (async) function returning an Outcome (see BatchHandler).
   */
  connect(signal: Signal, next: Consumer | BatchHandler): void;
  /** Lag of every partition this member owns, fresh from the brokers (high watermark − committed offset). */
  lag(): Promise<PartitionLag[]>;
}

/** What the receiver builds its Kafka clients with; tests pass in-memory fakes. */
export interface ReceiverDeps {
  readonly consumerFactory: ConsumerFactory;
  readonly deadLetterFactory: DeadLetterSinkFactory;
  /** Jitter source for the backoff. */
  readonly random?: () => number;
}

const COMPONENT = 'kafka-consumer-receiver';
/** How long one poll waits for the first record: bounds how fast the loop notices shutdown. */
export const POLL_TIMEOUT_MS = 100;
const POLL_ERROR_DELAY_MS = 1000;
const QUERY_TIMEOUT_MS = 5_000;
export const COMMIT_TIMEOUT_MS = 10_000;
const DISCONNECT_TIMEOUT_MS = 15_000;
/**
 * The final offset commit and the disconnect get what is left of shutdown's
 * deadline, but at least this: records delivered before the deadline should
 * not be read again only because draining the rest used all the time. The
 * most a shutdown overruns its deadline.
 */
const CLOSE_FLOOR_MS = 2000;

export class KafkaReceiverImpl implements KafkaReceiver {
  readonly signals: readonly Signal[];
  private readonly consumers = new Map<Signal, Consumer>();
  private readonly logger: Logger;
  private readonly metrics: ReceiverMetrics;
  private readonly flow: FlowControl;
  private readonly partitions = new PartitionRegistry();
  private readonly inFlight = createInFlight();
  private readonly stop = new AbortController();
  private readonly lagMonitor: LagMonitor;
  private client: ConsumerClient | undefined;
  private deadLetter: DeadLetterSink | undefined;
  private readonly refusalLog = createLogThrottle();
  private rebalancer: RebalanceHandler | undefined;
  private ctx: DeliveryContext | undefined;
  private running = false;
  private loopDone: Promise<void> | undefined;
  private flowVersion = -1;
  private committing: Promise<void> | undefined;
  private commitAgain = false;
  private lagTimer: NodeJS.Timeout | undefined;
  private lagRefreshing = false;
  private readonly lifecycle: Lifecycle;

  constructor(
    private readonly o: ParsedOptions,
    telemetry: TelemetryOptions,
    private readonly deps: ReceiverDeps,
  ) {
    this.signals = offeredSignals(o);
    // No logger given: warnings and errors still reach stderr, rate-limited.
    this.logger = telemetry.logger ? getLogger(telemetry, COMPONENT) : stderrLogger(COMPONENT);
    this.lifecycle = createLifecycle(`${COMPONENT} (group ${o.groupId})`, {
      shutdownTimeoutMs: o.shutdownTimeoutMs,
    });
    this.flow = new FlowControl({
      maxMessages: o.maxInFlightMessages,
      maxBytes: o.maxInFlightBytes,
      resumeRatio: 0.75,
    });
    this.lagMonitor = new LagMonitor({
      owned: () =>
        this.partitions
          .all()
          .filter((s) => s.phase === 'owned')
          .map((s) => s.topicPartition),
      watermarks: (topic, partition) =>
        queryWatermarks(this.requireClient(), topic, partition, QUERY_TIMEOUT_MS),
      committed: (tps) => queryCommitted(this.requireClient(), tps, QUERY_TIMEOUT_MS),
    });
    this.metrics = new ReceiverMetrics(getMeter(telemetry, COMPONENT), o.groupId, {
      lag: () =>
        this.lagMonitor
          .snapshot()
          .filter((l) => this.partitions.get(partitionKey(l.topic, l.partition))?.phase === 'owned'),
      inFlightMessages: () => this.flow.inFlightMessages,
      inFlightBytes: () => this.flow.inFlightBytes,
      pausedPartitions: () => this.partitions.all().filter((s) => s.paused).length,
      assignedPartitions: () => this.partitions.size,
    });
  }

  connect(signal: Signal, next: Consumer | BatchHandler): void {
    if (!this.signals.includes(signal)) {
      throw invalidOptions(COMPONENT, `this receiver produces ${this.signals.join(', ')}, not ${signal}`);
    }
    if (this.lifecycle.state !== 'new')
      throw new PipelineError('ERR_INVALID_OPTIONS', `${COMPONENT}: connect() must come before start()`);
    if (typeof next !== 'function' && typeof next?.consume !== 'function')
      throw invalidOptions(COMPONENT, `connect(${signal}) needs a Consumer or a function`);
    this.consumers.set(signal, toConsumer(next, this.logger, this.refusalLog));
  }

  /** Connects and joins the group; a second call returns the same promise, one after shutdown rejects (ERR_SHUTDOWN). */
  start(): Promise<void> {
    return this.lifecycle.start(() => this.doStart());
  }

  /** Idempotent; bounded by the caller's time left, capped by shutdownTimeoutMs. */
  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.lifecycle.shutdown((ctx) => this.doShutdown(ctx), options);
  }

  async lag(): Promise<PartitionLag[]> {
    if (!this.client || !this.running) return [];
    return this.lagMonitor.refresh();
  }

  private async doStart(): Promise<void> {
    const connected = [...this.consumers.keys()];
    const router = new TopicRouter(resolveBindings(this.o, connected));
    const unconnected = this.signals.filter((s) => !this.consumers.has(s) && this.o[s] !== undefined);
    if (unconnected.length)
      this.logger.warn(
        { signals: unconnected },
        'signals configured but not connected to a pipeline; their topics are not read',
      );

    // Created (and librdkafka loaded, the first time) here: building a receiver needs no native client.
    const client = await this.deps.consumerFactory(consumerConfig(this.o), {
      rebalance: (err, assignment) => this.rebalancer?.onRebalance(err, assignment),
      offsetCommit: (err, offsets) => this.onOffsetCommit(err, offsets),
    });
    this.client = client;
    client.on('event.error', (err) => this.logger.warn({ err }, 'kafka client error'));
    // One budget for connecting the consumer and the dead-letter producer, kept even when librdkafka never answers.
    const connecting = deadlineIn(this.o.connectTimeoutMs);
    try {
      await connectWithin(client, this.o.connectTimeoutMs, this.logger);
      client.setDefaultConsumeTimeout(POLL_TIMEOUT_MS);
      if (this.o.deadLetterTopic !== undefined) {
        this.deadLetter = this.deps.deadLetterFactory(
          deadLetterProducerConfig(this.o),
          this.o.deadLetterTopic,
        );
        await withTimeout(
          this.deadLetter.start(),
          connecting.remainingMs(),
          `dead-letter producer connect (connectTimeoutMs ${this.o.connectTimeoutMs} ms)`,
        );
      }
    } catch (e) {
      const dlq = this.deadLetter?.shutdown().catch(() => undefined);
      if (dlq) await withTimeout(dlq, CLEANUP_TIMEOUT_MS, 'dead-letter shutdown').catch(() => undefined);
      // A broker that refused the credentials or the TLS handshake (explainConnectFailures):
      // the native connect ends on its own and a disconnect would wait for it.
      if (client.isConnected() && !isConnectFailure(e)) await disconnectQuietly(client, this.logger);
      throw new PipelineError(
        'ERR_UNAVAILABLE',
        `${COMPONENT}: cannot connect to ${this.o.brokers.join(',')}: ${describe(e)}`,
        { cause: e },
      );
    }
    this.ctx = this.deliveryContext(router);
    this.rebalancer = new RebalanceHandler({
      client,
      partitions: this.partitions,
      flow: this.flow,
      metrics: this.metrics,
      logger: this.logger,
      lag: this.lagMonitor,
      revokeTimeoutMs: this.o.revokeTimeoutMs,
      commit: (states) => this.commitStates(states),
      syncPauses: () => this.syncPauses(true),
    });
    client.subscribe(router.subscription);
    this.running = true;
    this.loopDone = this.pollLoop(client);
    this.lagTimer = setInterval(() => this.refreshLag(), this.o.lagIntervalMs);
    this.lagTimer.unref();
    this.logger.info(
      { topics: router.subscription, group: this.o.groupId, signals: connected },
      'kafka receiver started',
    );
  }

  private deliveryContext(router: TopicRouter): DeliveryContext {
    return {
      router,
      consumers: this.consumers,
      extraction: this.o.headerExtraction,
      backoff: this.o.errorBackoff,
      random: this.deps.random ?? Math.random,
      flow: this.flow,
      partitions: this.partitions,
      deadLetter: this.deadLetter,
      metrics: this.metrics,
      logger: this.logger,
      refusalLog: this.refusalLog,
      stopSignal: this.stop.signal,
      acknowledge: (state, offset) => this.acknowledge(state, offset),
      flowChanged: () => this.syncPauses(),
    };
  }

  /** Running average of record sizes, so one poll asks for about as many bytes as the budget has left. */
  private averageRecordBytes = 0;

  private async pollLoop(client: ConsumerClient): Promise<void> {
    while (this.running) {
      // Until a record's size is known, one record at a time: a first poll of large records must not overshoot.
      const byBytes =
        this.averageRecordBytes > 0 ? Math.floor(this.flow.remainingBytes / this.averageRecordBytes) : 1;
      const count = Math.max(1, Math.min(this.o.maxPollMessages, this.flow.remainingMessages, byBytes));
      let messages: Message[];
      try {
        messages = await consumeBatch(client, count);
      } catch (e) {
        if (!this.running) break;
        this.logger.warn({ err: e }, 'kafka poll failed');
        await sleep(POLL_ERROR_DELAY_MS, this.stop.signal);
        continue;
      }
      // Records fetched after shutdown began stay unread: they are past every committed offset.
      if (!this.running) break;
      for (const m of messages) {
        try {
          this.dispatch(m);
        } catch (e) {
          // Never reached in practice; the record stays uncommitted, so nothing is lost.
          this.logger.error(
            { topic: m.topic, partition: m.partition, offset: m.offset, err: e },
            'dispatch failed',
          );
        }
      }
    }
  }

  private dispatch(m: Message): void {
    const state = this.partitions.get(partitionKey(m.topic, m.partition));
    // Not ours (any more): the partition's next owner reads it from the committed offset.
    if (!state || state.phase !== 'owned') return;
    const bytes = m.size ?? m.value?.length ?? 0;
    this.averageRecordBytes =
      this.averageRecordBytes === 0 ? bytes : this.averageRecordBytes * 0.9 + bytes * 0.1;
    try {
      state.tracker.dispatched(m.offset, bytes);
    } catch (e) {
      this.logger.warn(
        { key: state.key, offset: m.offset, err: e },
        'record fetched again out of order; ignored',
      );
      return;
    }
    this.flow.acquire(bytes);
    this.metrics.message(m.topic, m.partition);
    const ctx = this.ctx!;
    void this.inFlight.track(
      deliver(ctx, m, state)
        .catch((e: unknown) =>
          this.logger.error(
            { key: state.key, offset: m.offset, err: e },
            'record delivery failed; it stays uncommitted',
          ),
        )
        .finally(() => {
          this.flow.release(bytes);
          this.syncPauses();
        }),
    );
    this.syncPauses();
  }

  /** A record is done: store the partition's contiguous watermark when it moved. */
  private acknowledge(state: PartitionState, offset: number): void {
    const watermark = state.tracker.ack(offset);
    state.notify();
    if (watermark === undefined) return;
    try {
      this.client!.offsetsStore([{ topic: state.topic, partition: state.partition, offset: watermark }]);
      state.stored = watermark;
    } catch (e) {
      this.logger.warn({ key: state.key, offset: watermark, err: e }, 'offset store failed');
    }
    if (!this.o.autoCommit.enable) this.requestCommit();
  }

  /** Manual commit mode: one commit at a time, coalescing the stores that happen meanwhile. */
  private requestCommit(): void {
    if (this.committing) {
      this.commitAgain = true;
      return;
    }
    this.committing = (async () => {
      do {
        this.commitAgain = false;
        await this.commitStates(this.partitions.all());
      } while (this.commitAgain && !this.stop.signal.aborted);
    })().finally(() => (this.committing = undefined));
  }

  /** Commits the contiguous watermark of each state that moved since its last commit. */
  private async commitStates(states: readonly PartitionState[], deadline?: Deadline): Promise<void> {
    const client = this.client;
    const due = states.filter(
      (s) =>
        s.phase !== 'released' &&
        s.tracker.committable !== undefined &&
        s.tracker.committable !== s.committed,
    );
    if (!client || due.length === 0) return;
    const offsets = due.map((s) => ({
      topic: s.topic,
      partition: s.partition,
      offset: s.tracker.committable!,
    }));
    try {
      await withTimeout(commitOffsets(client, offsets), within(COMMIT_TIMEOUT_MS, deadline), 'offset commit');
      due.forEach((s, i) => {
        if (s.committed === undefined || offsets[i]!.offset > s.committed) s.committed = offsets[i]!.offset;
      });
    } catch (e) {
      this.logger.warn(
        { err: e, offsets },
        'offset commit failed; the offsets stay stored for the next commit',
      );
    }
  }

  private onOffsetCommit(
    err: LibrdKafkaError | null | undefined,
    offsets: TopicPartitionOffset[] | undefined,
  ): void {
    for (const o of offsets ?? []) {
      if ((o as { error?: unknown }).error || o.offset < 0) continue;
      const state = this.partitions.get(partitionKey(o.topic, o.partition));
      if (state && (state.committed === undefined || o.offset > state.committed)) state.committed = o.offset;
      this.metrics.commit(o.topic, o.partition);
    }
    // -168: nothing new to commit (an auto commit with no stored change).
    if (err && err.code !== -168) this.logger.warn({ err }, 'offset commit failed');
  }

  /** Pauses or resumes partitions to match the flow control's decision. */
  private syncPauses(force = false): void {
    const client = this.client;
    if (!client || (!force && this.flow.version === this.flowVersion)) return;
    this.flowVersion = this.flow.version;
    const pause: TopicPartition[] = [];
    const resume: TopicPartition[] = [];
    for (const s of this.partitions.all()) {
      if (s.phase !== 'owned') continue;
      const want = this.flow.shouldPause(s.id);
      if (want === s.paused) continue;
      s.paused = want;
      (want ? pause : resume).push(s.topicPartition);
    }
    try {
      if (pause.length) client.pause(pause);
      if (resume.length) client.resume(resume);
    } catch (e) {
      this.logger.warn({ err: e }, 'pause/resume failed');
    }
    if (pause.length || resume.length) {
      this.logger.debug(
        { paused: pause.length, resumed: resume.length, inFlight: this.flow.inFlightMessages },
        'flow control',
      );
    }
  }

  private refreshLag(): void {
    if (this.lagRefreshing || !this.running) return;
    this.lagRefreshing = true;
    this.lagMonitor
      .refresh()
      .catch((e: unknown) => this.logger.debug({ err: e }, 'lag refresh failed'))
      .finally(() => (this.lagRefreshing = false));
  }

  private async doShutdown({ deadline, started }: StopContext): Promise<void> {
    const client = this.client;
    if (!started || !this.running || !client) return;
    this.running = false;
    clearInterval(this.lagTimer);
    await this.loopDone;
    const drained = await this.inFlight.drain(deadline.remainingMs());
    if (!drained) {
      this.logger.warn(
        { inFlight: this.inFlight.size },
        'shutdown timeout: undelivered records stay uncommitted and will be read again',
      );
      this.stop.abort();
    }
    const closing = deadlineIn(Math.max(deadline.remainingMs(), CLOSE_FLOOR_MS));
    await this.rebalancer?.idle();
    this.rebalancer?.close();
    await this.committing;
    await this.commitStates(this.partitions.all(), closing);
    try {
      client.unsubscribe();
    } catch (e) {
      this.logger.debug({ err: e }, 'unsubscribe failed');
    }
    await withTimeout(disconnectClient(client), within(DISCONNECT_TIMEOUT_MS, closing), 'disconnect').catch(
      (e: unknown) => this.logger.warn({ err: e }, 'disconnect did not finish'),
    );
    for (const s of this.partitions.all()) this.partitions.remove(s);
    this.stop.abort();
    await this.deadLetter
      ?.shutdown()
      .catch((e: unknown) => this.logger.warn({ err: e }, 'dead-letter producer shutdown failed'));
    this.logger.info('kafka receiver shut down');
  }

  private requireClient(): ConsumerClient {
    if (!this.client) throw new PipelineError('ERR_NOT_STARTED', `${COMPONENT}: not started`);
    return this.client;
  }
}

/** A step's own bound, or what is left of shutdown's deadline if that is less. */
function within(ms: number, deadline: Deadline | undefined): number {
  return deadline ? Math.min(ms, deadline.remainingMs()) : ms;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
