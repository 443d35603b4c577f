// Raw produce / consume for assertions: bytes in, bytes out, exact offsets, no framework.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RdKafka } from '@confluentinc/kafka-javascript';
import { loadKafka } from '@otlp-kafka/kafka-client';
import { kafkaBrokers } from './brokers.js';
import { freshGroup } from './topics.js';
import type { KafkaTarget } from './topics.js';

export interface RawMessage {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  /** Explicit partition; default: the partitioner (by key). */
  readonly partition?: number;
}

export interface ProducedRecord {
  readonly partition: number;
  readonly offset: number;
}

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<readonly [string, Buffer]>;
  readonly timestamp: number | undefined;
}

export interface ConsumeRawOptions extends KafkaTarget {
  /** Stop after this many records. */
  readonly count: number;
  /** Stop after this long even with fewer records (the result is then shorter than count). Default 30000. */
  readonly timeoutMs?: number;
  /** Consumer group; default a fresh one. Offsets of the returned records are committed. */
  readonly groupId?: string;
  /** Where a group without committed offsets starts; default true (earliest). */
  readonly fromBeginning?: boolean;
}

const toBuffer = (v: string | Buffer | null | undefined): Buffer | null | undefined =>
  typeof v === 'string' ? Buffer.from(v) : v;

/**
 * Produces the messages with acks=all (idempotent) and resolves with each message's
 * partition and offset, in input order, once all are acknowledged. Rejects on the first
 * delivery error.
 */
export async function produceRaw(
  topic: string,
  messages: readonly RawMessage[],
  options: KafkaTarget & { timeoutMs?: number } = {},
): Promise<ProducedRecord[]> {
  const { RdKafka } = await loadKafka();
  const producer = new RdKafka.Producer({
    'bootstrap.servers': options.brokers ?? kafkaBrokers(),
    'client.id': 'otlp-kafka-testkit-producer',
    acks: -1,
    'enable.idempotence': true,
    'linger.ms': 5,
    'message.timeout.ms': options.timeoutMs ?? 60_000,
    dr_cb: true,
    log_level: 3,
  });
  await new Promise<void>((resolve, reject) =>
    producer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())),
  );
  try {
    const results = new Array<ProducedRecord | undefined>(messages.length);
    let pending = messages.length;
    let failure: Error | undefined;
    const done = new Promise<void>((resolve, reject) => {
      if (pending === 0) resolve();
      producer.on('delivery-report', (err, report) => {
        if (err) {
          failure ??= new Error(`delivery to ${topic} failed: ${err.message}`, { cause: err });
          reject(failure);
          return;
        }
        results[report.opaque as number] = { partition: report.partition, offset: report.offset };
        if (--pending === 0) resolve();
      });
    });
    done.catch(() => {}); // observed below; avoid an unhandled rejection while producing
    producer.setPollInterval(20);
    for (let i = 0; i < messages.length && failure === undefined; i++) {
      const m = messages[i]!;
      const headers = m.headers ? Object.entries(m.headers).map(([k, v]) => ({ [k]: v })) : undefined;
      for (;;) {
        try {
          producer.produce(
            topic,
            m.partition ?? -1,
            toBuffer(m.value) ?? null,
            toBuffer(m.key) ?? undefined,
            undefined,
            i,
            headers,
          );
          break;
        } catch (err) {
          // Local queue full: let delivery reports drain it.
          if ((err as { code?: number }).code !== RdKafka.CODES.ERRORS.ERR__QUEUE_FULL) throw err;
          await sleep(10);
        }
      }
    }
    await done;
    return results as ProducedRecord[];
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(10_000, () => resolve()));
  }
}

/**
 * Reads up to `count` records of the topic through a consumer group, commits the
 * offsets of exactly the records returned (synchronously), and leaves the group.
 * Resolves with what arrived by `timeoutMs` if fewer than `count` exist; never rejects
 * on timeout.
 */
export async function consumeRaw(topic: string, options: ConsumeRawOptions): Promise<ConsumedRecord[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { RdKafka } = await loadKafka();
  const consumer = new RdKafka.KafkaConsumer(
    {
      'bootstrap.servers': options.brokers ?? kafkaBrokers(),
      'group.id': options.groupId ?? freshGroup('consume-raw'),
      'client.id': 'otlp-kafka-testkit-consumer',
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'session.timeout.ms': 10_000,
      'heartbeat.interval.ms': 1000,
      log_level: 3,
    },
    { 'auto.offset.reset': options.fromBeginning === false ? 'latest' : 'earliest' },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())),
  );
  const out: ConsumedRecord[] = [];
  try {
    consumer.setDefaultConsumeTimeout(200);
    consumer.subscribe([topic]);
    const deadline = Date.now() + timeoutMs;
    while (out.length < options.count && Date.now() < deadline) {
      const batch = await new Promise<RdKafka.Message[]>((resolve, reject) =>
        consumer.consume(Math.min(1000, options.count - out.length), (err, msgs) =>
          err ? reject(err) : resolve(msgs),
        ),
      );
      for (const m of batch) {
        out.push({
          topic: m.topic,
          partition: m.partition,
          offset: m.offset,
          key:
            m.key === undefined || m.key === null
              ? null
              : Buffer.isBuffer(m.key)
                ? m.key
                : Buffer.from(String(m.key)),
          value: m.value,
          headers: (m.headers ?? []).flatMap((h) =>
            Object.entries(h).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)] as const),
          ),
          timestamp: m.timestamp,
        });
      }
    }
    const next = new Map<number, number>();
    for (const r of out) next.set(r.partition, Math.max(next.get(r.partition) ?? 0, r.offset + 1));
    if (next.size > 0)
      consumer.commitSync([...next].map(([partition, offset]) => ({ topic, partition, offset })));
    return out;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
