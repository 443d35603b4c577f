// Agent direction: OTLP/HTTP protobuf in -> batch -> Kafka (acks=all), our agent vs the Go
// Collector, each in its own process under the same load from the same client process.
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteTopic, freshTopic } from '@otlp-kafka/testkit/kafka';
import { readBack } from '../agent/kafka.js';
import type { RunResult } from '../agent/load-client.js';
import { endChild, startLoadClient, startOurs, type LoadClient } from './children.js';
import { freePort, startGoCollector } from './collector.js';
import type { Config } from './config.js';
import { agentConfig, type GoVariant } from './go-configs.js';
import { procCpuUs, procRssBytes, procStopwatch } from './proc.js';
import { printRuns, printSummary, type Measured } from './table.js';

export const OURS = 'ours (agent)';
const goName = (v: GoVariant): string =>
  v === 'batch' ? 'go: batch processor' : 'go: exporter batching, wait_for_result';

/** A subject under load: where to send, how to tell that Kafka has everything, how to stop. */
interface Running {
  readonly pid: number;
  readonly url: string;
  readonly startupCpuUs: number;
  /** Resolves once the subject's exporter has had `spans` spans acknowledged by Kafka. */
  drained(spans: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

async function startGo(cfg: Config, variant: GoVariant, topic: string): Promise<Running> {
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  const go = await startGoCollector(
    `agent-${variant}`,
    agentConfig(cfg, variant, topic, httpPort, metricsPort),
    metricsPort,
    [httpPort, metricsPort],
  );
  return {
    pid: go.pid,
    url: `http://127.0.0.1:${httpPort}/v1/traces`,
    startupCpuUs: procCpuUs(go.pid),
    async drained(spans, timeoutMs) {
      // The batch processor answers 200 before its batch reaches Kafka: wait for the exporter's own
      // count of spans Kafka acknowledged (otelcol_exporter_sent_spans).
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { sent, failed } = await go.exporterSpans();
        if (failed > 0)
          throw new Error(`the Go Collector failed to send ${failed} spans (log: ${go.logPath})`);
        if (sent >= spans) return;
        if (Date.now() > deadline)
          throw new Error(
            `the Go Collector sent ${sent} of ${spans} spans within ${timeoutMs} ms (log: ${go.logPath})`,
          );
        await sleep(20);
      }
    },
    stop: () => go.stop(),
  };
}

async function startOursAgent(cfg: Config, topic: string): Promise<Running> {
  const ours = await startOurs();
  const started = await ours.request({ type: 'start-agent', brokers: cfg.brokers, topic });
  return {
    pid: ours.pid,
    url: started.type === 'started' ? started.url! : '',
    startupCpuUs: procCpuUs(ours.pid),
    drained: async () => {}, // a 200 from our agent means Kafka acknowledged the data
    async stop() {
      await ours.request({ type: 'stop' });
      await endChild(ours.child);
    },
  };
}

const describe = (r: RunResult): string =>
  `${r.okRequests} requests accepted, refused ${JSON.stringify(r.refused)}, client latency p50 ${r.latencyMs.p50.toFixed(0)} ms, p99 ${r.latencyMs.p99.toFixed(0)} ms`;

async function measure(
  cfg: Config,
  client: LoadClient,
  subject: string,
  round: number,
  start: (topic: string) => Promise<Running>,
): Promise<Measured> {
  const topic = await freshTopic(`bench-gocmp-agent-${round}`, {
    brokers: cfg.brokers,
    partitions: cfg.partitions,
    config: { 'max.message.bytes': String(cfg.topicMaxMessageBytes) },
  });
  try {
    const s = await start(topic);
    let warm: RunResult, r: RunResult, cost: { wallMs: number; cpuUs: number }, rss: number;
    try {
      // Warm-up into the same topic (counted in the Kafka check below, not in the measurement).
      warm = await client.run({
        url: s.url,
        concurrency: cfg.concurrency,
        durationMs: cfg.warmupMs,
        maxRequests: Number.MAX_SAFE_INTEGER,
      });
      await s.drained(warm.okSpans, cfg.timeoutMs);
      const sw = procStopwatch(s.pid);
      r = await client.run({
        url: s.url,
        concurrency: cfg.concurrency,
        durationMs: cfg.durationMs,
        maxRequests: Math.ceil(cfg.maxSpans / cfg.spansPerRequest),
      });
      await s.drained(warm.okSpans + r.okSpans, cfg.timeoutMs);
      cost = sw.read();
      rss = procRssBytes(s.pid);
      console.log(
        `  ${subject} #${round}: process CPU before any load (start-up, module loading) ${(s.startupCpuUs / 1e6).toFixed(2)} s; ${describe(r)}`,
      );
    } finally {
      await s.stop();
    }
    // Nobody wins by dropping: every acknowledged span must be in the topic.
    const inKafka = await readBack(cfg.brokers, topic, cfg.partitions);
    const acked = warm.okSpans + r.okSpans;
    const verified =
      inKafka.spans === acked
        ? 'all in Kafka'
        : inKafka.spans > acked
          ? `+${inKafka.spans - acked} dup`
          : `LOST ${acked - inKafka.spans}`;
    if (inKafka.spans < acked)
      console.log(`  WARNING ${subject} #${round}: ${inKafka.spans} spans in Kafka, ${acked} acknowledged`);
    const bytes = inKafka.values.reduce((a, v) => a + v.length, 0);
    return {
      subject,
      round,
      spans: r.okSpans,
      ...cost,
      records: inKafka.values.length,
      bytes,
      verified,
      rssBytes: rss,
    };
  } finally {
    await deleteTopic(topic, { brokers: cfg.brokers }).catch((e: unknown) =>
      console.error(`could not delete ${topic}: ${String(e)}`),
    );
  }
}

export async function agentDirection(cfg: Config): Promise<Measured[]> {
  const variants = cfg.goVariants.filter((v): v is GoVariant => v === 'batch' || v === 'queue');
  const subjects: { name: string; start: (topic: string) => Promise<Running> }[] = [
    { name: OURS, start: (t) => startOursAgent(cfg, t) },
    ...variants.map((v) => ({ name: goName(v), start: (t: string) => startGo(cfg, v, t) })),
  ];
  console.log(
    `\n== agent direction: OTLP/HTTP protobuf -> batch -> Kafka (acks=all); subjects: ${subjects.map((s) => s.name).join(' | ')}`,
  );
  const client = await startLoadClient({
    spansPerRequest: cfg.spansPerRequest,
    poolSize: cfg.poolSize,
    attributeBytes: cfg.attributeBytes,
    resources: 8,
  });
  const runs: Measured[] = [];
  const failures: string[] = [];
  try {
    for (let round = 1; round <= cfg.rounds; round++) {
      // Rotate the order each round so a drift in the machine's load does not always hit the same subject.
      const order = subjects.map((_, i) => subjects[(i + round - 1) % subjects.length]!);
      for (const s of order) {
        try {
          runs.push(await measure(cfg, client, s.name, round, s.start));
        } catch (err) {
          failures.push(`${s.name} #${round}: ${err instanceof Error ? err.message : String(err)}`);
          console.log(`  FAILED ${failures.at(-1)!}`);
        }
      }
    }
  } finally {
    await endChild(client.child);
  }
  const ordered = subjects.flatMap((s) => runs.filter((r) => r.subject === s.name));
  printRuns(
    `agent direction, every run (${cfg.concurrency} clients x ${cfg.spansPerRequest} spans/request, ${cfg.partitions} partitions, batch ${cfg.sendBatchSize} spans / ${cfg.batchTimeoutMs} ms, acks=all, no compression)`,
    ordered,
  );
  printSummary('agent direction, medians', ordered, OURS);
  if (failures.length)
    console.log(
      `\nagent direction: ${failures.length} run(s) FAILED and are not in the tables:\n  ${failures.join('\n  ')}`,
    );
  return ordered;
}
