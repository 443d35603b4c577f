// The receiver wired to the in-memory Kafka, a controlled pipeline and fake timers.
import { vi } from 'vitest';
import { parseOptions, type Consumer, type Logger } from '@otlp-kafka/core';
import type { BatchHandler } from '../../src/internal/handler.js';
import { KafkaReceiverImpl } from '../../src/internal/kafka-receiver.js';
import { optionsSchema, type KafkaReceiverOptions } from '../../src/options.js';
import { ControlledConsumer } from './controlled-consumer.js';
import { FakeDeadLetter, FakeKafka, type FakeConsumer } from './fake-kafka.js';
import { createTestMeter, type TestMeter } from '@otlp-kafka/testkit/metrics';
import { traceRequest } from './otlp.js';

export const TOPIC = 'otlp-traces';

export interface Harness {
  readonly kafka: FakeKafka;
  readonly consumer: FakeConsumer;
  readonly receiver: KafkaReceiverImpl;
  readonly sink: ControlledConsumer;
  readonly deadLetter: FakeDeadLetter;
  readonly meter: TestMeter;
  readonly logs: { level: string; msg: string | undefined; obj: object | string }[];
  /** Produces one traces record whose spans are named by ids; returns its offset. */
  produce(partition: number, ids: readonly string[], headers?: { [k: string]: string | Buffer }[]): number;
  committed(partition: number): number | undefined;
}

/** Runs timers and microtasks in 1 ms steps until cond() holds (fails after maxMs of fake time). */
export async function until(cond: () => boolean, maxMs = 60_000): Promise<void> {
  for (let t = 0; t < maxMs; t += 5) {
    if (cond()) return;
    await vi.advanceTimersByTimeAsync(5);
  }
  if (!cond()) throw new Error(`condition not met within ${maxMs} ms of fake time`);
}

export async function setup(
  options: KafkaReceiverOptions = {},
  {
    partitions = [0],
    protocol = 'COOPERATIVE' as 'COOPERATIVE' | 'EAGER',
    temporality = 'cumulative' as 'cumulative' | 'delta',
    next = undefined as Consumer | BatchHandler | undefined,
  } = {},
): Promise<Harness> {
  vi.useFakeTimers({ now: 0 });
  const kafka = new FakeKafka();
  const deadLetter = new FakeDeadLetter();
  const meter = createTestMeter({ temporality });
  const logs: Harness['logs'] = [];
  const log = (level: string) => (obj: object | string, msg?: string) => logs.push({ level, obj, msg });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const parsed = parseOptions('test', optionsSchema, {
    topic: TOPIC,
    signal: 'traces',
    initialOffset: 'earliest',
    ...options,
  });
  const receiver = new KafkaReceiverImpl(
    parsed,
    { meterProvider: meter.meterProvider, logger },
    {
      consumerFactory: kafka.factory({ protocol }),
      deadLetterFactory: deadLetter.factory(),
      random: () => 0.5,
    },
  );
  const sink = new ControlledConsumer();
  // `next` instead of the controlled sink: a pipeline (or function) of the test's own.
  receiver.connect('traces', next ?? sink);
  await receiver.start();
  const consumer = kafka.consumers[0]!;
  if (partitions.length) consumer.groupAssigns(TOPIC, partitions);
  await vi.advanceTimersByTimeAsync(0);
  return {
    kafka,
    consumer,
    receiver,
    sink,
    deadLetter,
    meter,
    logs,
    produce: (partition, ids, headers) => kafka.produce(TOPIC, partition, traceRequest(ids), headers),
    committed: (partition) => kafka.committed.get(`${TOPIC}[${partition}]`),
  };
}

/** Shuts the receiver down, running fake time until it finished. */
export async function stop(h: Harness): Promise<void> {
  let done = false;
  const p = h.receiver.shutdown().finally(() => (done = true));
  await until(() => done, 120_000);
  await p;
}
