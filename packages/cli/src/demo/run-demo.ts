import type { Signal } from '@otlp-kafka/core';
import { createLoadGenerator, startOtlpBackend } from '@otlp-kafka/testkit';
import { startKafkaCluster } from '@otlp-kafka/testkit/kafka';
import { topicsCommand } from '../commands/topics.js';
import { startCollectorProcess, type CollectorProcess } from '../harness/collector-process.js';
import { sendOtlpHttp } from '../harness/otlp-http-client.js';
import { groupLag, SEED_TOPICS } from '@otlp-kafka/kafka-client';
import type { CliIo } from '../internal/io.js';
import { createProgress } from './progress.js';

export interface DemoOptions {
  agentConfig: string;
  gatewayConfig: string;
  /** Logs of the agent and gateway go here. */
  workDir: string;
  loadSeconds: number;
  outageSeconds: number;
  requestsPerSecond: number;
}

export interface DemoSummary {
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  refusedByAgent: number;
}

const AGENT_HTTP = '127.0.0.1:4318';
const AGENT_GRPC = '127.0.0.1:4317';
const BACKEND_GRPC_PORT = 14317;
// The gateway's consumer groups and the seed topics they read (examples/gateway.yaml).
const GROUPS: [string, string][] = [
  ['otel-gateway-traces', SEED_TOPICS.traces],
  ['otel-gateway-metrics', SEED_TOPICS.metrics],
  ['otel-gateway-logs', SEED_TOPICS.logs],
];
const SIGNALS: Signal[] = ['traces', 'metrics', 'logs'];

/**
 * Agent -> Kafka -> gateway -> backend from the example YAML files, run as
 * real processes. Load flows while the backend goes down and comes back; at
 * the end every item the agent acknowledged is looked up by id at the backend.
 */
export async function runDemo(o: DemoOptions, io: CliIo): Promise<DemoSummary> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    io.out('== Kafka');
    let brokers = process.env.KAFKA_BROKERS;
    if (brokers) io.out(`using KAFKA_BROKERS=${brokers}`);
    else {
      const t0 = Date.now();
      io.out('starting a single-node Apache Kafka (KRaft) for the demo (set KAFKA_BROKERS to use another)');
      const cluster = await startKafkaCluster({ nodes: 1 });
      brokers = cluster.brokers;
      cleanups.push(() => cluster.stop());
      io.out(`Kafka ready at ${brokers} in ${Date.now() - t0} ms`);
    }
    const env: Record<string, string> = {
      KAFKA_BROKERS: brokers,
      NODE_NAME: 'demo-node',
      AGENT_HTTP_ENDPOINT: AGENT_HTTP,
      AGENT_GRPC_ENDPOINT: AGENT_GRPC,
      TEMPO_ENDPOINT: `127.0.0.1:${BACKEND_GRPC_PORT}`,
      MIMIR_ENDPOINT: `127.0.0.1:${BACKEND_GRPC_PORT}`,
      LOKI_ENDPOINT: `127.0.0.1:${BACKEND_GRPC_PORT}`,
    };
    Object.assign(process.env, env);

    io.out("\n== topics (the seed's partitions and retention; replication capped to the cluster)");
    const topicsExit = await topicsCommand([o.agentConfig, o.gatewayConfig], { dryRun: false }, io);
    if (topicsExit !== 0) throw new Error('creating topics failed');

    io.out('\n== backend, gateway and agent');
    const backend = await startOtlpBackend({ host: '127.0.0.1', grpcPort: BACKEND_GRPC_PORT, port: 0 });
    cleanups.push(() => backend.stop());
    io.out(`OTLP backend (counts every item by id) on ${backend.grpcAddress}`);
    const procs: CollectorProcess[] = [];
    for (const [name, config] of [
      ['gateway', o.gatewayConfig],
      ['agent', o.agentConfig],
    ] as const) {
      const p = startCollectorProcess({ name, configs: [config], env, logFile: `${o.workDir}/${name}.log` });
      procs.push(p);
      cleanups.push(() => p.stop());
      await p.ready;
      io.out(`${name} ready (pid ${p.pid}, logs in ${o.workDir}/${name}.log)`);
    }

    io.out(
      `\n== load: ${o.requestsPerSecond} requests/s for ${o.loadSeconds} s; backend down for ${o.outageSeconds} s from t=${Math.round(o.loadSeconds / 3)} s`,
    );
    const generator = createLoadGenerator({
      signals: { traces: 1, metrics: 1, logs: 1 },
      itemsPerRequest: 50,
      resources: 4,
      seed: Date.now() % 1e9,
    });
    const acknowledged = new Set<string>();
    let refused = 0;
    const inFlight = new Set<Promise<void>>();
    const progress = createProgress(io);
    const lagNow = async () => {
      let lag = 0;
      for (const [g, topic] of GROUPS)
        lag += (await groupLag({ brokers: brokers!, groupId: g, topics: [topic] }).catch(() => [])).reduce(
          (s, r) => s + r.lag,
          0,
        );
      return lag;
    };
    const start = Date.now();
    const outageAt = start + (o.loadSeconds / 3) * 1000;
    let outage = 'before' as 'before' | 'down' | 'after';
    const ticker = setInterval(() => {
      void (async () => {
        const t = (Date.now() - start) / 1000;
        if (outage === 'before' && Date.now() >= outageAt) {
          outage = 'down';
          await backend.stop();
          io.out(`t=${t.toFixed(0)}s backend DOWN`);
        } else if (outage === 'down' && Date.now() >= outageAt + o.outageSeconds * 1000) {
          outage = 'after';
          await backend.restart();
          io.out(`t=${t.toFixed(0)}s backend UP again`);
        }
        const lag = await lagNow();
        // Read after the lag query, so every column describes the same moment.
        progress.line({
          t,
          sent: acknowledged.size,
          refused,
          lag,
          delivered: backend.sink.uniqueItems,
          backend: outage === 'down' ? 'down' : 'up',
        });
      })();
    }, 1000);
    ticker.unref();
    const interval = 1000 / o.requestsPerSecond;
    for (let i = 0; Date.now() - start < o.loadSeconds * 1000; i++) {
      const request = generator.generate(SIGNALS[i % 3]!);
      const p = sendOtlpHttp(`http://${AGENT_HTTP}`, request.batch, { deadlineMs: 60_000 }).then((r) => {
        if (r.acknowledged) for (const id of request.ids) acknowledged.add(id);
        else refused += request.ids.length;
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      const next = start + (i + 1) * interval;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    await Promise.all(inFlight);
    if (outage !== 'after') {
      await backend.restart();
      outage = 'after';
    }
    io.out(
      `\n== load finished: ${acknowledged.size} items acknowledged by the agent; waiting for the gateway to drain`,
    );
    const drainDeadline = Date.now() + 180_000;
    while (Date.now() < drainDeadline && [...acknowledged].some((id) => backend.sink.count(id) === 0)) {
      await new Promise((r) => setTimeout(r, 1000));
    }
    clearInterval(ticker);
    io.out('\n== shutting down the agent and gateway (SIGTERM: drain and commit)');
    for (const p of procs.reverse()) io.out(`${p.name} exited with ${await p.stop()}`);

    let delivered = 0;
    let lost = 0;
    let duplicated = 0;
    for (const id of acknowledged) {
      const n = backend.sink.count(id);
      if (n === 0) lost++;
      else delivered++;
      if (n > 1) duplicated++;
    }
    const summary: DemoSummary = {
      sent: acknowledged.size,
      delivered,
      lost,
      duplicated,
      refusedByAgent: refused,
    };
    io.out('\n== summary (items counted by id: span ids, data point and log record test.id)');
    io.out(`sent (acknowledged by the agent): ${summary.sent}`);
    io.out(`delivered to the backend:         ${summary.delivered}`);
    io.out(`lost:                             ${summary.lost}`);
    io.out(`duplicated (delivered twice+):    ${summary.duplicated}`);
    io.out(`refused by the agent (client gave up, not acknowledged): ${summary.refusedByAgent}`);
    io.out(summary.lost === 0 ? 'RESULT: no loss' : 'RESULT: LOSS');
    return summary;
  } finally {
    await cleanup();
  }
}
