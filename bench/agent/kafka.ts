// Raw librdkafka for the baseline: read back what the agent wrote, and produce the same records again.
import { setTimeout as sleep } from 'node:timers/promises';
import { RdKafka } from '@confluentinc/kafka-javascript';
import { countItems } from '@otlp-kafka/pdata';
import { freshGroup } from '@otlp-kafka/testkit/kafka';

const connect = (client: { connect(o: object, cb: (err: unknown) => void): void }): Promise<void> =>
  new Promise((resolve, reject) =>
    client.connect({ timeout: 30_000 }, (err) => (err ? reject(err as Error) : resolve())),
  );

/** Every record value of the topic (all partitions, offset 0 to the high watermark) and their span count. */
export async function readBack(
  brokers: string,
  topic: string,
  partitions: number,
): Promise<{ values: Buffer[]; spans: number }> {
  const consumer = new RdKafka.KafkaConsumer(
    {
      'bootstrap.servers': brokers,
      'group.id': freshGroup('bench-readback'),
      'enable.auto.commit': false,
      log_level: 3,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await connect(consumer);
  try {
    const high = new Map<number, number>();
    for (let p = 0; p < partitions; p++) {
      const wm = await new Promise<{ highOffset: number }>((resolve, reject) =>
        consumer.queryWatermarkOffsets(topic, p, 10_000, (err, o) => (err ? reject(err) : resolve(o))),
      );
      if (wm.highOffset > 0) high.set(p, wm.highOffset);
    }
    const total = [...high.values()].reduce((a, b) => a + b, 0);
    consumer.assign([...high.keys()].map((partition) => ({ topic, partition, offset: 0 })));
    consumer.setDefaultConsumeTimeout(500);
    const values: Buffer[] = [];
    let spans = 0;
    const deadline = Date.now() + 120_000;
    while (values.length < total) {
      if (Date.now() > deadline)
        throw new Error(`read back ${values.length} of ${total} records of ${topic}`);
      const batch = await new Promise<RdKafka.Message[]>((resolve, reject) =>
        consumer.consume(1000, (err, msgs) => (err ? reject(err) : resolve(msgs))),
      );
      for (const m of batch) {
        if (!m.value) continue;
        values.push(m.value);
        const n = countItems('traces', m.value);
        if (n.isErr()) throw n.error;
        spans += n.value;
      }
    }
    return { values, spans };
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

export interface RawProducer {
  /** Produces every value (no key, librdkafka's partitioner) and resolves when all are acknowledged. */
  produceAll(topic: string, values: readonly Buffer[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The same librdkafka settings the kafka-producer-exporter uses by default: acks=all,
 * idempotence, no compression, linger 5 ms, 1 MB batches, delivery reports polled in
 * librdkafka's background thread.
 */
export async function rawProducer(brokers: string): Promise<RawProducer> {
  const producer = new RdKafka.Producer({
    'bootstrap.servers': brokers,
    'client.id': 'otlp-kafka-bench-raw',
    acks: -1,
    'enable.idempotence': true,
    'compression.codec': 'none',
    'message.max.bytes': 1_000_000,
    'batch.size': 1_000_000,
    'batch.num.messages': 10_000,
    'linger.ms': 5,
    'message.timeout.ms': 30_000,
    'queue.buffering.max.messages': 100_000,
    'queue.buffering.max.kbytes': 65_536,
    dr_cb: true,
    log_level: 3,
  });
  await connect(producer);
  producer.setPollInBackground(true);
  let onReport: ((err: RdKafka.LibrdKafkaError | null) => void) | undefined;
  producer.on('delivery-report', (err) => onReport?.(err));
  return {
    async produceAll(topic, values) {
      let pending = values.length;
      let failure: Error | undefined;
      const done = new Promise<void>((resolve, reject) => {
        onReport = (err) => {
          if (err) {
            failure = new Error(`delivery failed: ${err.message}`);
            reject(failure);
          } else if (--pending === 0) resolve();
        };
        if (pending === 0) resolve();
      });
      done.catch(() => {}); // awaited below
      for (const value of values) {
        for (;;) {
          if (failure) throw failure;
          try {
            producer.produce(topic, null, value, null, null);
            break;
          } catch (err) {
            // The local queue is full: wait for delivery reports to drain it.
            if ((err as { code?: number }).code !== RdKafka.CODES.ERRORS.ERR__QUEUE_FULL) throw err;
            await sleep(1);
          }
        }
      }
      await done;
    },
    close: () => new Promise<void>((resolve) => producer.disconnect(10_000, () => resolve())),
  };
}
