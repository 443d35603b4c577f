// bench/gateway: Kafka -> kafka-consumer-receiver -> batcher -> otlp-exporter (OTLP/HTTP) -> a local
// sink, through the real components, beside a raw librdkafka consume of the same records, in one run.
//
//   npm run bench -- gateway      (env knobs: see CONFIG below)
//
// The topic is pre-filled once (not measured); every round reads all of it with a fresh consumer
// group. Both sides are timed from the first record received to the last span at the sink (gateway)
// or the last record received (raw), so group join time is left out of both. CPU is this process's
// process.cpuUsage() over that time (all threads, librdkafka's included); the sink runs in a child
// process and the broker in its own, so neither is counted.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createBatcher, type BatcherOptions } from '@otlp-kafka/batcher';
import { createPipeline } from '@otlp-kafka/core';
import { createKafkaReceiver, type KafkaReceiverOptions } from '@otlp-kafka/kafka-consumer-receiver';
import { createOtlpExporter, type OtlpExporterOptions } from '@otlp-kafka/otlp-exporter';
import { createLoadGenerator } from '@otlp-kafka/testkit';
import { deleteTopic, freshGroup, freshTopic } from '@otlp-kafka/testkit/kafka';
import {
  machineNote,
  printRows,
  printSummary,
  stopwatch,
  type Row,
  type Stopwatch,
} from '../agent/report.js';
import { prefill, rawConsume } from './kafka.js';
import { tap } from './tap.js';
import type { SinkCommand, SinkMessage, SinkStats } from './sink.js';

const env = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`);
  return n;
};

/** Extra component options as JSON, e.g. BENCH_RECEIVER='{"maxPollMessages":16}'. */
const jsonEnv = <T>(name: string): Partial<T> => JSON.parse(process.env[name] || '{}') as Partial<T>;

const CONFIG = {
  brokers: process.env.KAFKA_BROKERS?.trim() || '127.0.0.1:39092',
  /** Spans per Kafka record: about what the agent bench's batcher + exporter write under load (8192-span batches split under 1 MB). */
  spansPerMessage: env('BENCH_SPANS_PER_MESSAGE', 4096),
  /** Records in the topic; every round reads them all. */
  messages: env('BENCH_MESSAGES', 250),
  rounds: env('BENCH_ROUNDS', 3),
  partitions: env('BENCH_PARTITIONS', 4),
  /** Distinct pre-generated records, cycled through when filling the topic. */
  poolSize: env('BENCH_POOL', 16),
  attributeBytes: env('BENCH_ATTRIBUTE_BYTES', 64),
  /** otlp-exporter compression: 'none' by default here (the exporter's own default is gzip, as the Collector's). */
  compression: process.env.BENCH_COMPRESSION === 'gzip' ? ('gzip' as const) : ('none' as const),
  /** Bound on one measured phase. */
  timeoutMs: env('BENCH_TIMEOUT_MS', 180_000),
  receiver: jsonEnv<KafkaReceiverOptions>('BENCH_RECEIVER'),
  batcher: jsonEnv<BatcherOptions>('BENCH_BATCHER'),
  exporter: jsonEnv<OtlpExporterOptions>('BENCH_EXPORTER'),
};

interface Sink {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resets the counters; resolves when `spans` spans have arrived. */
  expect(spans: number): Promise<SinkStats>;
}

async function startSink(): Promise<Sink> {
  const child = fork(fileURLToPath(new URL('./sink.ts', import.meta.url)), {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waitFor = <T extends SinkMessage['type']>(
    type: T,
    timeoutMs = CONFIG.timeoutMs,
  ): Promise<Extract<SinkMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`sink: no "${type}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (m: SinkMessage): void => {
        if (m.type === type) finish(undefined, m as Extract<SinkMessage, { type: T }>);
      };
      const onExit = (code: number | null): void => finish(new Error(`sink exited (${code})`));
      function finish(err?: Error, m?: Extract<SinkMessage, { type: T }>): void {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(m!);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { url } = await waitFor('listening', 60_000);
  return {
    child,
    url,
    expect(spans) {
      const reached = waitFor('reached');
      child.send({ type: 'expect', spans } satisfies SinkCommand);
      return reached.then((m) => m.stats);
    },
  };
}

/** One pass of the gateway over the whole topic with a fresh group. */
async function gateway(
  topic: string,
  sink: Sink,
  spans: number,
): Promise<{ wallMs: number; cpuUs: number; stats: SinkStats; outcomes: Readonly<Record<string, number>> }> {
  let sw: Stopwatch | undefined;
  const receiver = createKafkaReceiver({
    brokers: CONFIG.brokers,
    topic,
    signal: 'traces',
    groupId: freshGroup('bench-gateway'),
    initialOffset: 'earliest',
    ...CONFIG.receiver,
  });
  const exporter = createOtlpExporter({
    protocol: 'http',
    endpoint: sink.url,
    compression: CONFIG.compression,
    ...CONFIG.exporter,
  });
  const first = tap(() => (sw = stopwatch()));
  const pipeline = createPipeline({
    pipelines: [
      {
        signal: 'traces',
        receivers: [receiver],
        processors: [first.factory, createBatcher(CONFIG.batcher)],
        exporters: [exporter],
      },
    ],
  });
  const reached = sink.expect(spans);
  await pipeline.start();
  try {
    const stats = await reached;
    return { ...sw!.read(), stats, outcomes: first.outcomes };
  } finally {
    await pipeline.shutdown();
  }
}

async function main(): Promise<void> {
  console.log(
    'gateway bench: Kafka -> kafka-consumer-receiver -> batcher -> otlp-exporter (OTLP/HTTP) -> sink vs raw librdkafka consume',
  );
  console.log(`config: ${JSON.stringify(CONFIG)}`);
  console.log(`machine: ${machineNote()}`);
  const topics: string[] = [];
  let sink: Sink | undefined;
  try {
    const gen = createLoadGenerator({
      itemsPerRequest: CONFIG.spansPerMessage,
      attributeBytes: CONFIG.attributeBytes,
      resources: 8,
      trackIds: false,
    });
    const pool = Array.from({ length: CONFIG.poolSize }, () => {
      const b = gen.next('traces');
      return {
        value: Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength),
        spans: b.itemCount,
      };
    });
    const values = pool.map((p) => p.value);
    const spansOf = (count: number): number =>
      Array.from({ length: count }, (_, i) => pool[i % pool.length]!.spans).reduce((a, b) => a + b, 0);
    const bytesOf = (count: number): number =>
      Array.from({ length: count }, (_, i) => values[i % values.length]!.length).reduce((a, b) => a + b, 0);

    const warmTopic = await freshTopic('bench-gateway-warm', {
      brokers: CONFIG.brokers,
      partitions: CONFIG.partitions,
    });
    topics.push(warmTopic);
    const topic = await freshTopic('bench-gateway', {
      brokers: CONFIG.brokers,
      partitions: CONFIG.partitions,
    });
    topics.push(topic);
    const warmMessages = Math.min(CONFIG.messages, 24);
    await prefill(CONFIG.brokers, warmTopic, values, warmMessages, CONFIG.partitions);
    await prefill(CONFIG.brokers, topic, values, CONFIG.messages, CONFIG.partitions);
    const spans = spansOf(CONFIG.messages);
    const bytes = bytesOf(CONFIG.messages);
    console.log(`topic ${topic}: ${CONFIG.messages} records, ${spans} spans, ${(bytes / 1e6).toFixed(1)} MB`);

    sink = await startSink();
    // Warm-up: both paths over a small topic, not measured.
    await gateway(warmTopic, sink, spansOf(warmMessages));
    await rawConsume(CONFIG.brokers, warmTopic, warmMessages, CONFIG.timeoutMs);

    const gatewayRows: Row[] = [];
    const rawRows: Row[] = [];
    for (let i = 1; i <= CONFIG.rounds; i++) {
      const g = await gateway(topic, sink, spans);
      if (g.stats.spans !== spans)
        console.log(
          `NOTE round ${i}: the sink got ${g.stats.spans} spans of ${spans} (duplicates are allowed: at-least-once)`,
        );
      console.log(
        `round ${i} gateway: ${g.stats.requests} OTLP/HTTP requests to the sink, ${(g.stats.bytes / 1e6).toFixed(1)} MB, ` +
          `sink CPU ${(g.stats.cpuUs / 1e6).toFixed(2)} s (not counted); record deliveries by outcome ${JSON.stringify(g.outcomes)} (refused ones are redelivered after the receiver's backoff)`,
      );
      gatewayRows.push({
        name: `gateway pipeline #${i}`,
        spans,
        messages: CONFIG.messages,
        bytes,
        wallMs: g.wallMs,
        cpuUs: g.cpuUs,
      });
      const raw = await rawConsume(CONFIG.brokers, topic, CONFIG.messages, CONFIG.timeoutMs);
      rawRows.push({
        name: `raw librdkafka consume #${i}`,
        spans,
        messages: raw.messages,
        bytes: raw.bytes,
        wallMs: raw.wallMs,
        cpuUs: raw.cpuUs,
      });
    }
    const overrides = JSON.stringify({
      receiver: CONFIG.receiver,
      batcher: CONFIG.batcher,
      exporter: CONFIG.exporter,
    });
    const setup =
      `${CONFIG.spansPerMessage} spans/record, ${CONFIG.partitions} partitions, OTLP/HTTP protobuf, compression ${CONFIG.compression}, ` +
      `component defaults${overrides === '{"receiver":{},"batcher":{},"exporter":{}}' ? '' : ` except ${overrides}`}`;
    printRows(
      `gateway rounds (${setup})`,
      gatewayRows.flatMap((g, i) => [g, rawRows[i]!]),
    );
    printSummary('gateway summary', gatewayRows, rawRows);
    console.log(`\nmachine after: ${machineNote()}`);
  } finally {
    sink?.child.disconnect();
    for (const t of topics)
      await deleteTopic(t, { brokers: CONFIG.brokers }).catch((e: unknown) =>
        console.error(`could not delete ${t}: ${String(e)}`),
      );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  console.error(
    `(is Kafka running? \`npm run kafka -- start\`, or set KAFKA_BROKERS; using ${CONFIG.brokers})`,
  );
  process.exitCode = 1;
});
