// Kafka for the gateway bench: pre-fill a topic (not measured) and the raw-consume baseline.
import { RdKafka } from '@confluentinc/kafka-javascript';
import { freshGroup, produceRaw } from '@otlp-kafka/testkit/kafka';
import { stopwatch, type Stopwatch } from '../agent/report.js';

/** `count` records cycling through `values`, spread evenly over the partitions (acks=all, idempotent). */
export async function prefill(
  brokers: string,
  topic: string,
  values: readonly Buffer[],
  count: number,
  partitions: number,
): Promise<void> {
  const chunk = 500; // bounds produceRaw's bookkeeping
  for (let from = 0; from < count; from += chunk) {
    const messages = Array.from({ length: Math.min(chunk, count - from) }, (_, k) => ({
      value: values[(from + k) % values.length]!,
      partition: (from + k) % partitions,
    }));
    await produceRaw(topic, messages, { brokers });
  }
}

export interface RawConsumeResult {
  readonly messages: number;
  readonly bytes: number;
  /** From the first record to the last; CPU of this process over that time. */
  readonly wallMs: number;
  readonly cpuUs: number;
}

/**
 * Reads `expected` records through a fresh consumer group from the earliest offset and does
 * nothing with them: the fetch settings, poll size and poll mode of the kafka-consumer-receiver's
 * defaults, no commits. Timed from the first record received to the last.
 */
export async function rawConsume(
  brokers: string,
  topic: string,
  expected: number,
  timeoutMs = 120_000,
): Promise<RawConsumeResult> {
  const consumer = new RdKafka.KafkaConsumer(
    {
      'bootstrap.servers': brokers,
      'group.id': freshGroup('bench-gateway-raw'),
      'client.id': 'otlp-kafka-bench-raw',
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'fetch.min.bytes': 1,
      'fetch.max.bytes': 52_428_800,
      'max.partition.fetch.bytes': 1_048_576,
      'fetch.wait.max.ms': 250,
      'partition.assignment.strategy': 'cooperative-sticky',
      'enable.partition.eof': false,
      log_level: 3,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())),
  );
  try {
    consumer.setDefaultConsumeTimeout(100);
    (
      consumer as unknown as { setDefaultIsTimeoutOnlyForFirstMessage?(v: boolean): void }
    ).setDefaultIsTimeoutOnlyForFirstMessage?.(true);
    consumer.subscribe([topic]);
    let sw: Stopwatch | undefined;
    let messages = 0;
    let bytes = 0;
    const deadline = Date.now() + timeoutMs;
    while (messages < expected) {
      if (Date.now() > deadline)
        throw new Error(`raw consume: ${messages} of ${expected} records after ${timeoutMs} ms`);
      const batch = await new Promise<RdKafka.Message[]>((resolve, reject) =>
        consumer.consume(500, (err, msgs) => (err ? reject(err) : resolve(msgs))),
      );
      if (batch.length > 0) sw ??= stopwatch();
      for (const m of batch) bytes += m.value?.length ?? 0;
      messages += batch.length;
    }
    return { messages, bytes, ...sw!.read() };
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
