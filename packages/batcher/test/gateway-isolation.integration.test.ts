// The gateway case against the real local Kafka (testkit global setup): the
// kafka-consumer-receiver hands each record to the batcher, the batcher merges
// records into one request, and the backend refuses any request holding an
// AnyValue nested too deep. Only the poison record may be lost, and it is counted.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ok, permanent, type Batch, type Consumer, type Logger, type Outcome } from '@otlp-kafka/core';
import {
  createKafkaReceiver,
  DEAD_LETTER_HEADERS,
  type KafkaReceiver,
} from '@otlp-kafka/kafka-consumer-receiver';
import { createLoadGenerator, itemIds } from '@otlp-kafka/testkit';
import {
  committedOffsets,
  consumeRaw,
  freshGroup,
  freshTopic,
  kafkaBrokers,
  produceRaw,
} from '@otlp-kafka/testkit/kafka';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';
import { createBatcher } from '@otlp-kafka/batcher';
import { decodeRequest, type AnyValue } from '@otlp-kafka/pdata';

const running: { shutdown(): Promise<void> }[] = [];

afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.shutdown();
});

/** Nesting depth of an AnyValue (kvlists and arrays). */
function depthOf(v: AnyValue | undefined): number {
  if (!v) return 0;
  const inner = [...(v.kvlistValue?.values.map((kv) => kv.value) ?? []), ...(v.arrayValue?.values ?? [])];
  return 1 + Math.max(0, ...inner.map(depthOf));
}

/**
 * A backend stricter than the gateway: the gateway validates records (AnyValues nest at most 64
 * levels), this backend refuses for good, as INVALID_ARGUMENT, any request with a log body nested
 * deeper than 32. So a record valid for the gateway is poison downstream, and only isolation saves
 * the valid records merged with it.
 */
class NestingRefusingBackend implements Consumer {
  readonly delivered = new Map<string, number>();
  calls = 0;
  consume(batch: Batch): Promise<Outcome> {
    this.calls++;
    const req = decodeRequest('logs', batch.bytes);
    const deep = req.isOk()
      ? Math.max(
          0,
          ...req.value.resourceLogs.flatMap((r) =>
            r.scopeLogs.flatMap((s) => s.logRecords.map((l) => depthOf(l.body))),
          ),
        )
      : Infinity;
    if (deep > 32) return Promise.resolve(permanent(`INVALID_ARGUMENT: log body nested ${deep} levels`));
    const got = itemIds(batch);
    if (got.isErr()) return Promise.resolve(permanent(`INVALID_ARGUMENT: ${got.error.message}`));
    for (const id of got.value) this.delivered.set(id, (this.delivered.get(id) ?? 0) + 1);
    return Promise.resolve(ok());
  }
}

/** A log record whose body is an AnyValue nested `depth` levels deep (kvlist in kvlist), encoded by hand. */
function poisonRecord(depth: number): Buffer {
  let value = field(1, Buffer.from('leaf')); // AnyValue.string_value
  for (let i = 0; i < depth; i++) {
    const keyValue = Buffer.concat([field(1, Buffer.from('k')), field(2, value)]);
    value = field(6, field(1, keyValue)); // AnyValue.kvlist_value { values: [KeyValue] }
  }
  const logRecord = field(5, value); // LogRecord.body
  return field(1, field(2, field(2, logRecord))); // resource_logs { scope_logs { log_records } }
}

function field(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** Records that only log; fields kept for asserting the Kafka coordinates of what was refused. */
function captureLogger(): Logger & {
  entries: { level: string; obj: Record<string, unknown>; msg?: string }[];
} {
  const entries: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      entries.push({
        level,
        obj: typeof obj === 'string' ? { msg: obj } : (obj as Record<string, unknown>),
        msg,
      });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** `count` valid records of 3 log records each, and the poison at `poisonAt`, spread round-robin over `partitions`. */
async function produce(topic: string, count: number, poisonAt: number, partitions: number) {
  const valid: string[] = [];
  const messages = Array.from({ length: count }, (_, i) => {
    if (i === poisonAt) return { value: poisonRecord(40), partition: i % partitions };
    const g = createLoadGenerator({ itemsPerRequest: 3, idPrefix: `r${i}-`, attributeBytes: 8 });
    const { batch, ids } = g.generate('logs');
    valid.push(...ids);
    return { value: Buffer.from(batch.bytes), partition: i % partitions };
  });
  await produceRaw(topic, messages);
  return { valid, poisonPartition: poisonAt % partitions, poisonOffset: Math.floor(poisonAt / partitions) };
}

async function gateway(topic: string, groupId: string, deadLetterTopic?: string) {
  const backend = new NestingRefusingBackend();
  const batcherMeter = createTestMeter();
  const receiverMeter = createTestMeter();
  const logger = captureLogger();
  const batcher = createBatcher({ meterProvider: batcherMeter.meterProvider, logger })(backend);
  await batcher.start();
  running.push(batcher);
  const receiver: KafkaReceiver = createKafkaReceiver({
    brokers: kafkaBrokers(),
    signal: 'logs',
    topic,
    groupId,
    initialOffset: 'earliest',
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 500,
    autoCommit: { enable: false },
    maxInFlightMessages: 64,
    meterProvider: receiverMeter.meterProvider,
    logger,
    ...(deadLetterTopic !== undefined ? { deadLetterTopic } : {}),
  });
  receiver.connect('logs', batcher);
  running.push(receiver);
  await receiver.start();
  return { backend, batcherMeter, receiverMeter, logger };
}

async function sum(meter: ReturnType<typeof createTestMeter>, name: string): Promise<number> {
  const points = (await meter.read()).get(name) ?? [];
  return points.reduce((n, p) => n + (typeof p.value === 'number' ? p.value : 0), 0);
}

describe('gateway: a poison record merged with valid ones', () => {
  it('one partition, dead-letter topic: no valid record lost, the poison dead-lettered with its coordinates', async () => {
    const topic = await freshTopic('iso-one', { partitions: 1 });
    const dlq = await freshTopic('iso-one-dlq', { partitions: 1 });
    const groupId = freshGroup('iso-one');
    const { valid, poisonOffset } = await produce(topic, 20, 9, 1);
    const { backend, batcherMeter, receiverMeter, logger } = await gateway(topic, groupId, dlq);
    await waitFor(
      async () => (await committedOffsets(groupId, topic)).get(0) === 20,
      30_000,
      'all committed',
    );

    expect([...backend.delivered.keys()].sort()).toEqual([...valid].sort());
    expect([...backend.delivered.values()].every((n) => n === 1)).toBe(true);
    // The poison went in a merged batch with valid records: isolation had to run.
    expect(await sum(batcherMeter, 'otelcol_processor_batch_isolation_resends')).toBeGreaterThan(0);
    expect(await sum(receiverMeter, 'otelcol_kafka_receiver_dead_lettered_messages')).toBe(1);
    const letters = await consumeRaw(dlq, { count: 1, timeoutMs: 20_000 });
    expect(letters).toHaveLength(1);
    const source = (name: string) => letters[0]!.headers.find(([k]) => k === name)?.[1].toString('utf8');
    expect(source(DEAD_LETTER_HEADERS.sourceTopic)).toBe(topic);
    expect(source(DEAD_LETTER_HEADERS.sourcePartition)).toBe('0');
    expect(source(DEAD_LETTER_HEADERS.sourceOffset)).toBe(String(poisonOffset));
    expect(source(DEAD_LETTER_HEADERS.error)).toContain('INVALID_ARGUMENT');
    expect(
      logger.entries.some(
        (e) => e.obj['topic'] === topic && e.obj['partition'] === 0 && e.obj['offset'] === poisonOffset,
      ),
    ).toBe(true);
  });

  it('two partitions, no dead-letter topic: no valid record lost, the poison counted as skipped and logged with its coordinates', async () => {
    const topic = await freshTopic('iso-two', { partitions: 2 });
    const groupId = freshGroup('iso-two');
    const { valid, poisonPartition, poisonOffset } = await produce(topic, 24, 13, 2);
    const { backend, batcherMeter, receiverMeter, logger } = await gateway(topic, groupId);
    await waitFor(
      async () => {
        const c = await committedOffsets(groupId, topic);
        return c.get(0) === 12 && c.get(1) === 12;
      },
      30_000,
      'all committed',
    );

    expect([...backend.delivered.keys()].sort()).toEqual([...valid].sort());
    expect([...backend.delivered.values()].every((n) => n === 1)).toBe(true);
    expect(await sum(batcherMeter, 'otelcol_processor_batch_isolation_resends')).toBeGreaterThan(0);
    expect(await sum(receiverMeter, 'otelcol_kafka_receiver_skipped_messages')).toBe(1);
    expect(
      logger.entries.some(
        (e) =>
          e.obj['topic'] === topic &&
          e.obj['partition'] === poisonPartition &&
          e.obj['offset'] === poisonOffset,
      ),
    ).toBe(true);
  });
});
