// bench/agent: OTLP/HTTP protobuf in -> batcher -> Kafka (acks=all) through the real components,
// beside raw librdkafka producing the very same records, in one run.
//
//   npm run bench -- agent        (env knobs: see CONFIG below)
//
// The load runs in a child process (load-client.ts): the CPU figure of the agent is this
// process's process.cpuUsage() (all its threads, librdkafka's included) while the load runs,
// with no client work in it. The broker's CPU is not counted (another process).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createBatcher, type BatcherOptions } from '@otlp-kafka/batcher';
import { createPipeline, type Pipeline } from '@otlp-kafka/core';
import { createKafkaExporter, type KafkaExporterOptions } from '@otlp-kafka/kafka-producer-exporter';
import { createOtlpReceiver } from '@otlp-kafka/otlp-receiver';
import { deleteTopic, freshTopic } from '@otlp-kafka/testkit/kafka';
import { rawProducer, readBack } from './kafka.js';
import type { ChildMessage, ClientConfig, RunRequest, RunResult } from './load-client.js';
import { machineNote, printRows, printSummary, stopwatch, type Row } from './report.js';

const env = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`);
  return n;
};

/** Extra component options as JSON, e.g. BENCH_BATCHER='{"sendBatchSize":4096}'. */
const jsonEnv = <T>(name: string): Partial<T> => JSON.parse(process.env[name] || '{}') as Partial<T>;

const CONFIG = {
  brokers: process.env.KAFKA_BROKERS?.trim() || '127.0.0.1:39092',
  /** Spans per OTLP request (512: the SDK BatchSpanProcessor's maxExportBatchSize). */
  spansPerRequest: env('BENCH_SPANS_PER_REQUEST', 512),
  /** Concurrent HTTP clients (keep-alive connections). */
  concurrency: env('BENCH_CONCURRENCY', 32),
  /** Bound on each measured load phase; it normally ends earlier, at maxSpans. */
  durationMs: env('BENCH_DURATION_MS', 20_000),
  maxSpans: env('BENCH_MAX_SPANS', 1_000_000),
  /** Rounds of (agent, raw), each on fresh topics; the summary gives medians. */
  rounds: env('BENCH_ROUNDS', 3),
  /** Unmeasured load first (own topic, own pipeline) so the measured run meets warm code. */
  warmupMs: env('BENCH_WARMUP_MS', 3_000),
  partitions: env('BENCH_PARTITIONS', 4),
  /** Distinct pre-generated request bodies, sent round-robin. */
  poolSize: env('BENCH_POOL', 64),
  attributeBytes: env('BENCH_ATTRIBUTE_BYTES', 64),
  batcher: jsonEnv<BatcherOptions>('BENCH_BATCHER'),
  exporter: jsonEnv<KafkaExporterOptions>('BENCH_EXPORTER'),
};

function agent(topic: string): { pipeline: Pipeline; url: () => string } {
  const receiver = createOtlpReceiver({ http: { endpoint: '127.0.0.1:0' }, grpc: false });
  const exporter = createKafkaExporter({ brokers: CONFIG.brokers.split(','), topic, ...CONFIG.exporter });
  const pipeline = createPipeline({
    pipelines: [
      {
        signal: 'traces',
        receivers: [receiver],
        processors: [createBatcher(CONFIG.batcher)],
        exporters: [exporter],
      },
    ],
  });
  return { pipeline, url: () => `${receiver.httpUrl!}/v1/traces` };
}

function startClient(): Promise<{
  child: ChildProcess;
  run: (r: Omit<RunRequest, 'type'>) => Promise<RunResult>;
}> {
  const config: ClientConfig = {
    spansPerRequest: CONFIG.spansPerRequest,
    poolSize: CONFIG.poolSize,
    attributeBytes: CONFIG.attributeBytes,
    resources: 8,
  };
  const child = fork(fileURLToPath(new URL('./load-client.ts', import.meta.url)), {
    execArgv: process.execArgv,
    env: { ...process.env, BENCH_CLIENT_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`load client exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m: ChildMessage) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  const run = async (r: Omit<RunRequest, 'type'>): Promise<RunResult> => {
    const answer = next();
    child.send({ type: 'run', ...r } satisfies RunRequest);
    const m = await answer;
    if (m.type !== 'done') throw new Error(`load client: ${m.type === 'failed' ? m.error : m.type}`);
    return m.result;
  };
  return next().then((m) => {
    if (m.type !== 'ready') throw new Error(`load client did not start: ${JSON.stringify(m)}`);
    return { child, run };
  });
}

const describe = (r: RunResult): string =>
  `${r.okRequests} requests accepted, refused ${JSON.stringify(r.refused)}, latency p50 ${r.latencyMs.p50.toFixed(0)} ms, p99 ${r.latencyMs.p99.toFixed(0)} ms, max ${r.latencyMs.max.toFixed(0)} ms`;

/** One round: the agent under load, then raw librdkafka producing the records the agent wrote. */
async function round(
  i: number,
  client: Awaited<ReturnType<typeof startClient>>,
  fresh: (prefix: string) => Promise<string>,
): Promise<{ agentRow: Row; rawRow: Row }> {
  const [agentTopic, rawTopic] = [await fresh(`bench-agent-${i}`), await fresh(`bench-agent-raw-${i}`)];
  const maxRequests = Math.ceil(CONFIG.maxSpans / CONFIG.spansPerRequest);
  // Measured: from the first request sent to the last response received.
  const measured = agent(agentTopic);
  await measured.pipeline.start();
  const sw = stopwatch();
  const r = await client.run({
    url: measured.url(),
    concurrency: CONFIG.concurrency,
    durationMs: CONFIG.durationMs,
    maxRequests,
  });
  const agentCost = sw.read();
  await measured.pipeline.shutdown();
  console.log(`round ${i} agent: ${describe(r)}`);

  // The records the agent wrote, produced again by bare librdkafka: same count, same sizes.
  const written = await readBack(CONFIG.brokers, agentTopic, CONFIG.partitions);
  if (written.spans !== r.okSpans)
    console.log(`WARNING: ${written.spans} spans in Kafka, ${r.okSpans} acknowledged to the client`);
  const bytes = written.values.reduce((a, v) => a + v.length, 0);
  const producer = await rawProducer(CONFIG.brokers);
  await producer.produceAll(rawTopic, written.values.slice(0, 50)); // connection and code warm, not measured
  const rawSw = stopwatch();
  await producer.produceAll(rawTopic, written.values);
  const rawCost = rawSw.read();
  await producer.close();
  return {
    agentRow: {
      name: `agent pipeline #${i}`,
      spans: r.okSpans,
      messages: written.values.length,
      bytes,
      ...agentCost,
    },
    rawRow: {
      name: `raw librdkafka produce #${i}`,
      spans: written.spans,
      messages: written.values.length,
      bytes,
      ...rawCost,
    },
  };
}

async function main(): Promise<void> {
  console.log('agent bench: OTLP/HTTP protobuf -> batcher -> Kafka (acks=all) vs raw librdkafka produce');
  console.log(`config: ${JSON.stringify(CONFIG)}`);
  console.log(`machine: ${machineNote()}`);
  const topics = new Set<string>();
  const fresh = async (prefix: string): Promise<string> => {
    const t = await freshTopic(prefix, { brokers: CONFIG.brokers, partitions: CONFIG.partitions });
    topics.add(t);
    return t;
  };
  const drop = async (): Promise<void> => {
    for (const t of topics) {
      await deleteTopic(t, { brokers: CONFIG.brokers }).catch((e: unknown) =>
        console.error(`could not delete ${t}: ${String(e)}`),
      );
      topics.delete(t);
    }
  };
  let client: Awaited<ReturnType<typeof startClient>> | undefined;
  try {
    client = await startClient();
    // Warm-up: same code paths, its own topic and pipeline, not measured.
    const warm = agent(await fresh('bench-agent-warm'));
    await warm.pipeline.start();
    const w = await client.run({
      url: warm.url(),
      concurrency: CONFIG.concurrency,
      durationMs: CONFIG.warmupMs,
      maxRequests: Number.MAX_SAFE_INTEGER,
    });
    await warm.pipeline.shutdown();
    console.log(`warm-up: ${describe(w)}`);
    await drop();

    const agentRows: Row[] = [];
    const rawRows: Row[] = [];
    for (let i = 1; i <= CONFIG.rounds; i++) {
      const { agentRow, rawRow } = await round(i, client, fresh);
      agentRows.push(agentRow);
      rawRows.push(rawRow);
      await drop(); // keeps the broker's disk and this process's memory small
    }
    const overrides = JSON.stringify({ batcher: CONFIG.batcher, exporter: CONFIG.exporter });
    const setup =
      `${CONFIG.concurrency} clients x ${CONFIG.spansPerRequest} spans/request, ${CONFIG.partitions} partitions, ` +
      `component defaults (batch 8192 spans / 200 ms, acks=all, idempotent)${overrides === '{"batcher":{},"exporter":{}}' ? '' : ` except ${overrides}`}`;
    printRows(
      `agent rounds (${setup})`,
      agentRows.flatMap((a, i) => [a, rawRows[i]!]),
    );
    printSummary('agent summary', agentRows, rawRows);
    console.log(`\nmachine after: ${machineNote()}`);
  } finally {
    client?.child.disconnect();
    await drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  console.error(
    `(is Kafka running? \`npm run kafka -- start\`, or set KAFKA_BROKERS; using ${CONFIG.brokers})`,
  );
  process.exitCode = 1;
});
