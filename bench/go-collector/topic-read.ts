// What a subject wrote to its topic, read back after the run (not measured): every record and its
// span count, and the part written in the measured window (offsets from the high watermarks taken
// when the window opened). Sizes are record values as consumed (after decompression).
import { RdKafka } from '@confluentinc/kafka-javascript';
import { countItems } from '@otlp-kafka/pdata';
import { freshGroup } from '@otlp-kafka/testkit/kafka';

export interface Tally {
  records: number;
  spans: number;
  bytes: number;
}

export interface TopicCount {
  readonly all: Tally;
  readonly window: Tally;
}

async function withConsumer<T>(brokers: string, fn: (c: RdKafka.KafkaConsumer) => Promise<T>): Promise<T> {
  const consumer = new RdKafka.KafkaConsumer(
    {
      'bootstrap.servers': brokers,
      'group.id': freshGroup('bench-latency-read'),
      'enable.auto.commit': false,
      log_level: 3,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(new Error(err.message)) : resolve())),
  );
  try {
    return await fn(consumer);
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

const watermarks = (c: RdKafka.KafkaConsumer, topic: string, partitions: number): Promise<number[]> =>
  Promise.all(
    Array.from(
      { length: partitions },
      (_, p) =>
        new Promise<number>((resolve, reject) =>
          c.queryWatermarkOffsets(topic, p, 10_000, (err, o) => (err ? reject(err) : resolve(o.highOffset))),
        ),
    ),
  );

/** The high watermark of every partition (where the measured window starts). */
export const highWatermarks = (brokers: string, topic: string, partitions: number): Promise<number[]> =>
  withConsumer(brokers, (c) => watermarks(c, topic, partitions));

/** Reads the whole topic; records at or after `windowFrom[partition]` also count in `window`. */
export function countTopic(
  brokers: string,
  topic: string,
  partitions: number,
  windowFrom: readonly number[],
): Promise<TopicCount> {
  return withConsumer(brokers, async (c) => {
    const high = await watermarks(c, topic, partitions);
    const total = high.reduce((a, b) => a + b, 0);
    const all: Tally = { records: 0, spans: 0, bytes: 0 };
    const window: Tally = { records: 0, spans: 0, bytes: 0 };
    c.assign(high.flatMap((h, partition) => (h > 0 ? [{ topic, partition, offset: 0 }] : [])));
    c.setDefaultConsumeTimeout(500);
    const deadline = Date.now() + 120_000;
    let seen = 0;
    while (seen < total) {
      if (Date.now() > deadline) throw new Error(`read ${seen} of ${total} records of ${topic}`);
      const batch = await new Promise<RdKafka.Message[]>((resolve, reject) =>
        c.consume(1000, (err, msgs) => (err ? reject(err) : resolve(msgs))),
      );
      for (const m of batch) {
        seen++;
        if (!m.value) continue;
        const n = countItems('traces', m.value);
        if (n.isErr()) throw n.error;
        for (const t of m.offset >= (windowFrom[m.partition] ?? 0) ? [all, window] : [all]) {
          t.records++;
          t.spans += n.value;
          t.bytes += m.value.length;
        }
      }
    }
    return { all, window };
  });
}
