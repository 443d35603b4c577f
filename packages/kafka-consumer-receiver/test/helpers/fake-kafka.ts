// An in-memory stand-in for the librdkafka consumer surface the receiver uses
// (ConsumerClient), and for the dead-letter producer. Timers are plain
// setTimeout/setInterval so vitest's fake timers drive them.
import type {
  LibrdKafkaError,
  Message,
  MessageHeader,
  TopicPartition,
  TopicPartitionOffset,
} from '@otlp-kafka/kafka-client';
import type { ConsumerClient, ConsumerFactory, ConsumerHooks } from '../../src/internal/client.js';
import type { DeadLetter, DeadLetterSink, DeadLetterSinkFactory } from '../../src/internal/dead-letter.js';
import type { LibrdkafkaConfig } from '../../src/internal/librdkafka-config.js';

const key = (topic: string, partition: number): string => `${topic}[${partition}]`;

/** The "broker": partition logs and the group's committed offsets. */
export class FakeKafka {
  readonly logs = new Map<string, Message[]>();
  readonly committed = new Map<string, number>();
  readonly consumers: FakeConsumer[] = [];

  produce(
    topic: string,
    partition: number,
    value: Buffer | null,
    headers?: MessageHeader[],
    gap = 0,
    record: Pick<Message, 'key' | 'timestamp'> = { key: null, timestamp: 0 },
  ): number {
    const log = this.logs.get(key(topic, partition)) ?? [];
    this.logs.set(key(topic, partition), log);
    const last = log[log.length - 1];
    const offset = last ? last.offset + 1 + gap : gap;
    log.push({ topic, partition, offset, value, size: value?.length ?? 0, headers, ...record });
    for (const c of this.consumers) c.wake();
    return offset;
  }

  highWatermark(topic: string, partition: number): number {
    const log = this.logs.get(key(topic, partition)) ?? [];
    return log.length ? log[log.length - 1]!.offset + 1 : 0;
  }

  factory(
    options: { protocol?: 'COOPERATIVE' | 'EAGER'; failConnect?: boolean; hangConnect?: boolean } = {},
  ): ConsumerFactory {
    return (config, hooks) => {
      const c = new FakeConsumer(this, config, hooks, options.protocol ?? 'COOPERATIVE');
      c.failConnect = options.failConnect ?? false;
      c.hangConnect = options.hangConnect ?? false;
      this.consumers.push(c);
      return c;
    };
  }
}

type PartitionsOp = 'pause' | 'resume' | 'assign' | 'unassign';

export type FakeEvent =
  | { [K in PartitionsOp]: { op: K; partitions: string[] } }[PartitionsOp]
  | { op: 'store'; partition: string; offset: number }
  | { op: 'commit'; offsets: { partition: string; offset: number }[] }
  | { op: 'subscribe'; topics: string[] }
  | { op: 'unsubscribe' | 'disconnect' };

export class FakeConsumer implements ConsumerClient {
  readonly events: FakeEvent[] = [];
  readonly positions = new Map<string, number>();
  readonly paused = new Set<string>();
  readonly stored = new Map<string, number>();
  subscription: string[] = [];
  connected = false;
  lost = false;
  consumeTimeoutMs = 1000;
  /** Fails this many commits. */
  failCommits = 0;
  failConnect = false;
  /** connect() never calls back (a librdkafka that does not answer). */
  hangConnect = false;
  private waiters: (() => void)[] = [];
  private autoCommitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kafka: FakeKafka,
    readonly config: LibrdkafkaConfig,
    readonly hooks: ConsumerHooks,
    public protocol: 'COOPERATIVE' | 'EAGER',
  ) {}

  // ---- test driver -------------------------------------------------------

  /** The group assigns partitions (librdkafka calls the rebalance callback). */
  groupAssigns(topic: string, partitions: number[]): void {
    this.hooks.rebalance(
      rebalanceError(-175),
      partitions.map((partition) => ({ topic, partition })),
    );
  }

  groupRevokes(topic: string, partitions: number[], lost = false): void {
    this.lost = lost;
    this.hooks.rebalance(
      rebalanceError(-174),
      partitions.map((partition) => ({ topic, partition })),
    );
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) queueMicrotask(w);
  }

  ofType<T extends FakeEvent['op']>(op: T): Extract<FakeEvent, { op: T }>[] {
    return this.events.filter((e): e is Extract<FakeEvent, { op: T }> => e.op === op);
  }

  // ---- ConsumerClient ----------------------------------------------------

  connect(_options: { timeout?: number }, cb: (err: LibrdKafkaError | null) => void): this {
    if (this.failConnect) {
      queueMicrotask(() => cb(rebalanceError(-195)));
      return this;
    }
    if (this.hangConnect) return this;
    this.connected = true;
    if (this.config['enable.auto.commit'] === true) {
      this.autoCommitTimer = setInterval(
        () => this.autoCommit(),
        Number(this.config['auto.commit.interval.ms']),
      );
      this.autoCommitTimer.unref();
    }
    queueMicrotask(() => cb(null));
    return this;
  }

  isConnected(): boolean {
    return this.connected;
  }

  subscribe(topics: string[]): this {
    this.subscription = topics;
    this.events.push({ op: 'subscribe', topics });
    return this;
  }

  unsubscribe(): this {
    this.subscription = [];
    this.events.push({ op: 'unsubscribe' });
    return this;
  }

  setDefaultConsumeTimeout(timeoutMs: number): void {
    this.consumeTimeoutMs = timeoutMs;
  }

  consume(count: number, cb: (err: LibrdKafkaError | null, messages: Message[]) => void): void {
    const now = this.take(count);
    if (now.length) return queueMicrotask(() => cb(null, now));
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cb(null, this.take(count));
    };
    const timer = setTimeout(finish, this.consumeTimeoutMs);
    this.waiters.push(finish);
  }

  assign(assignments: TopicPartition[]): this {
    this.positions.clear();
    this.paused.clear();
    return this.incrementalAssign(assignments);
  }

  unassign(): this {
    this.events.push({ op: 'unassign', partitions: [...this.positions.keys()] });
    this.positions.clear();
    this.paused.clear();
    return this;
  }

  incrementalAssign(assignments: TopicPartition[]): this {
    for (const tp of assignments) {
      const k = key(tp.topic, tp.partition);
      const committed = this.kafka.committed.get(k);
      const initial =
        this.config['auto.offset.reset'] === 'earliest'
          ? 0
          : this.kafka.highWatermark(tp.topic, tp.partition);
      this.positions.set(k, committed ?? initial);
    }
    this.events.push({ op: 'assign', partitions: assignments.map((tp) => key(tp.topic, tp.partition)) });
    this.wake();
    return this;
  }

  incrementalUnassign(assignments: TopicPartition[]): this {
    for (const tp of assignments) {
      this.positions.delete(key(tp.topic, tp.partition));
      this.paused.delete(key(tp.topic, tp.partition));
    }
    this.events.push({ op: 'unassign', partitions: assignments.map((tp) => key(tp.topic, tp.partition)) });
    return this;
  }

  assignmentLost(): boolean {
    return this.lost;
  }

  rebalanceProtocol(): string {
    return this.protocol;
  }

  pause(partitions: TopicPartition[]): void {
    for (const tp of partitions) this.paused.add(key(tp.topic, tp.partition));
    this.events.push({ op: 'pause', partitions: partitions.map((tp) => key(tp.topic, tp.partition)) });
  }

  resume(partitions: TopicPartition[]): void {
    for (const tp of partitions) this.paused.delete(key(tp.topic, tp.partition));
    this.events.push({ op: 'resume', partitions: partitions.map((tp) => key(tp.topic, tp.partition)) });
    this.wake();
  }

  offsetsStore(offsets: TopicPartitionOffset[]): void {
    for (const o of offsets) {
      const k = key(o.topic, o.partition);
      if (!this.positions.has(k)) throw new Error('Local: Unknown partition');
      this.stored.set(k, o.offset);
      this.events.push({ op: 'store', partition: k, offset: o.offset });
    }
  }

  commitCb(offsets: TopicPartitionOffset[], cb: (err: LibrdKafkaError | null) => void): void {
    if (this.failCommits > 0) {
      this.failCommits--;
      queueMicrotask(() => cb(rebalanceError(-185)));
      return;
    }
    this.commitNow(offsets);
    queueMicrotask(() => cb(null));
  }

  committed(
    partitions: TopicPartition[],
    _timeoutMs: number,
    cb: (err: LibrdKafkaError | null, offsets: TopicPartitionOffset[]) => void,
  ): void {
    const out = partitions.map((tp) => ({
      ...tp,
      offset: this.kafka.committed.get(key(tp.topic, tp.partition)) ?? -1001,
    }));
    queueMicrotask(() => cb(null, out));
  }

  queryWatermarkOffsets(
    topic: string,
    partition: number,
    _timeoutMs: number,
    cb: (err: LibrdKafkaError | null, offsets: { lowOffset: number; highOffset: number }) => void,
  ): void {
    queueMicrotask(() => cb(null, { lowOffset: 0, highOffset: this.kafka.highWatermark(topic, partition) }));
  }

  disconnect(cb: (err: unknown) => void): void {
    clearInterval(this.autoCommitTimer);
    this.connected = false;
    this.events.push({ op: 'disconnect' });
    queueMicrotask(() => cb(null));
  }

  on(): this {
    return this;
  }

  // ---- internals -------------------------------------------------------

  private take(count: number): Message[] {
    const out: Message[] = [];
    for (const [k, position] of this.positions) {
      if (this.paused.has(k)) continue;
      const log = this.kafka.logs.get(k) ?? [];
      let pos = position;
      for (const m of log) {
        if (out.length >= count) break;
        if (m.offset < pos) continue;
        out.push(m);
        pos = m.offset + 1;
      }
      this.positions.set(k, pos);
      if (out.length >= count) break;
    }
    return out;
  }

  private autoCommit(): void {
    const due = [...this.stored].filter(([k, o]) => this.kafka.committed.get(k) !== o);
    if (due.length === 0) return;
    this.commitNow(due.map(([k, offset]) => ({ ...parseKey(k), offset })));
  }

  private commitNow(offsets: TopicPartitionOffset[]): void {
    for (const o of offsets) this.kafka.committed.set(key(o.topic, o.partition), o.offset);
    this.events.push({
      op: 'commit',
      offsets: offsets.map((o) => ({ partition: key(o.topic, o.partition), offset: o.offset })),
    });
    queueMicrotask(() => this.hooks.offsetCommit(null, offsets));
  }
}

function parseKey(k: string): TopicPartition {
  const m = /^(.*)\[(\d+)\]$/.exec(k)!;
  return { topic: m[1]!, partition: Number(m[2]) };
}

function rebalanceError(code: number): LibrdKafkaError {
  return { code, errno: code, message: `code ${code}`, origin: 'local' };
}

/** A dead-letter sink keeping what it was given; `failNext` makes sends reject. */
export class FakeDeadLetter implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  readonly topics: string[] = [];
  failNext = 0;
  started = false;
  closed = false;

  factory(): DeadLetterSinkFactory {
    return (_config, topic) => {
      this.topics.push(topic);
      return this;
    };
  }

  start(): Promise<void> {
    this.started = true;
    return Promise.resolve();
  }

  send(letter: DeadLetter): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new Error('broker unavailable'));
    }
    this.letters.push(letter);
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
