// Gateway direction: Kafka -> batch -> OTLP/HTTP protobuf (uncompressed) -> a sink in its own
// process, our gateway vs the Go Collector. The topic is filled once; every run reads all of it
// with a fresh consumer group and ends when the sink has counted every span.
import { createLoadGenerator } from '@otlp-kafka/testkit';
import { deleteTopic, freshGroup, freshTopic } from '@otlp-kafka/testkit/kafka';
import { prefill } from '../gateway/kafka.js';
import { endChild, startOurs, startSink, type Ours, type Sink } from './children.js';
import { freePort, startGoCollector } from './collector.js';
import type { Config } from './config.js';
import { gatewayConfig } from './go-configs.js';
import { procCpuUs, procRssBytes, procStopwatch } from './proc.js';
import { printRuns, printSummary, type Measured } from './table.js';

export const OURS_GATEWAY = 'ours (gateway)';
const GO = 'go: kafka receiver, batch processor, otlphttp';

interface Topic {
  readonly name: string;
  readonly spans: number;
  readonly records: number;
  readonly bytes: number;
}

async function filledTopic(cfg: Config, prefix: string, records: number): Promise<Topic> {
  const gen = createLoadGenerator({
    itemsPerRequest: cfg.spansPerMessage,
    attributeBytes: cfg.attributeBytes,
    resources: 8,
    trackIds: false,
  });
  const pool = Array.from({ length: cfg.gatewayPool }, () => {
    const b = gen.next('traces');
    return { value: Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength), spans: b.itemCount };
  });
  const name = await freshTopic(prefix, { brokers: cfg.brokers, partitions: cfg.partitions });
  await prefill(
    cfg.brokers,
    name,
    pool.map((p) => p.value),
    records,
    cfg.partitions,
  );
  const nth = (i: number): (typeof pool)[number] => pool[i % pool.length]!;
  const all = Array.from({ length: records }, (_, i) => nth(i));
  return {
    name,
    records,
    spans: all.reduce((a, p) => a + p.spans, 0),
    bytes: all.reduce((a, p) => a + p.value.length, 0),
  };
}

const verified = (got: number, want: number): string =>
  got === want ? 'all at sink' : got > want ? `+${got - want} dup` : `LOST ${want - got}`;

/** The Go Collector, started for this run: its CPU is counted from exec (startup included, see README). */
async function runGo(cfg: Config, topic: Topic, sink: Sink, round: number): Promise<Measured> {
  const metricsPort = await freePort();
  const t0 = performance.now();
  const reached = sink.expect(topic.spans, cfg.timeoutMs);
  const go = await startGoCollector(
    'gateway',
    gatewayConfig(cfg, topic.name, freshGroup('bench-gocmp'), sink.url, metricsPort),
    metricsPort,
    [metricsPort],
  );
  try {
    const stats = await reached.catch(async (err: unknown) => {
      throw new Error(`${String(err)}; the Go Collector says ${await go.describe()} (log: ${go.logPath})`);
    });
    const wallMs = performance.now() - t0;
    const cpuUs = procCpuUs(go.pid);
    const rssBytes = procRssBytes(go.pid);
    console.log(
      `  ${GO} #${round}: ${stats.requests} requests to the sink, ${(stats.bytes / 1e6).toFixed(1)} MB`,
    );
    return {
      subject: GO,
      round,
      spans: topic.spans,
      wallMs,
      cpuUs,
      records: topic.records,
      bytes: topic.bytes,
      verified: verified(stats.spans, topic.spans),
      rssBytes,
    };
  } finally {
    await go.stop();
  }
}

/** Our gateway in its (warm, long-lived) process: CPU counted from the start command (pipeline start included). */
async function runOurs(
  cfg: Config,
  ours: Ours,
  topic: Topic,
  sink: Sink,
  round: number,
  name = OURS_GATEWAY,
): Promise<Measured> {
  const reached = sink.expect(topic.spans, cfg.timeoutMs);
  const sw = procStopwatch(ours.pid);
  await ours.request({
    type: 'start-gateway',
    brokers: cfg.brokers,
    topic: topic.name,
    groupId: freshGroup('bench-gocmp'),
    sinkUrl: sink.url,
  });
  try {
    const stats = await reached;
    const cost = sw.read();
    const rssBytes = procRssBytes(ours.pid);
    console.log(
      `  ${name} #${round}: ${stats.requests} requests to the sink, ${(stats.bytes / 1e6).toFixed(1)} MB`,
    );
    return {
      subject: name,
      round,
      spans: topic.spans,
      ...cost,
      records: topic.records,
      bytes: topic.bytes,
      verified: verified(stats.spans, topic.spans),
      rssBytes,
    };
  } finally {
    await ours.request({ type: 'stop' });
  }
}

export async function gatewayDirection(cfg: Config): Promise<Measured[]> {
  console.log(
    `\n== gateway direction: Kafka -> batch -> OTLP/HTTP protobuf (no compression) -> sink; subjects: ${OURS_GATEWAY} | ${GO}`,
  );
  const topics: string[] = [];
  let sink: Sink | undefined;
  let ours: Ours | undefined;
  try {
    const warm = await filledTopic(cfg, 'bench-gocmp-gw-warm', Math.min(cfg.messages, 24));
    topics.push(warm.name);
    const topic = await filledTopic(cfg, 'bench-gocmp-gw', cfg.messages);
    topics.push(topic.name);
    console.log(
      `  topic ${topic.name}: ${topic.records} records of ${cfg.spansPerMessage} spans, ${topic.spans} spans, ${(topic.bytes / 1e6).toFixed(1)} MB`,
    );
    sink = await startSink();
    ours = await startOurs();
    await runOurs(cfg, ours, warm, sink, 0, 'warm-up'); // JIT warm-up of our code, not reported
    const runs: Measured[] = [];
    const failures: string[] = [];
    const attempt = async (name: string, round: number, run: () => Promise<Measured>): Promise<void> => {
      try {
        runs.push(await run());
      } catch (err) {
        failures.push(`${name} #${round}: ${err instanceof Error ? err.message : String(err)}`);
        console.log(`  FAILED ${failures.at(-1)!}`);
      }
    };
    for (let round = 1; round <= cfg.rounds; round++) {
      const go = (): Promise<void> => attempt(GO, round, () => runGo(cfg, topic, sink!, round));
      const mine = (): Promise<void> =>
        attempt(OURS_GATEWAY, round, () => runOurs(cfg, ours!, topic, sink!, round));
      // Alternate the order so a drift in the machine's load does not always hit the same subject.
      for (const run of round % 2 ? [go, mine] : [mine, go]) await run();
    }
    const ordered = [OURS_GATEWAY, GO].flatMap((s) => runs.filter((r) => r.subject === s));
    printRuns(
      `gateway direction, every run (${cfg.spansPerMessage} spans/record, ${topic.records} records, ${cfg.partitions} partitions, batch ${cfg.sendBatchSize} spans / ${cfg.batchTimeoutMs} ms, fresh group each run)`,
      ordered,
    );
    printSummary('gateway direction, medians', ordered, OURS_GATEWAY);
    if (failures.length)
      console.log(
        `\ngateway direction: ${failures.length} run(s) FAILED and are not in the tables:\n  ${failures.join('\n  ')}`,
      );
    return ordered;
  } finally {
    if (ours) await endChild(ours.child);
    if (sink) await endChild(sink.child);
    for (const t of topics)
      await deleteTopic(t, { brokers: cfg.brokers }).catch((e: unknown) =>
        console.error(`could not delete ${t}: ${String(e)}`),
      );
  }
}
