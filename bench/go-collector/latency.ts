// Latency mode (BENCH_DIRECTIONS=latency): the seed's agent pipeline (examples/agent.yaml: batch
// 1024 / max 2048 / 5 s, memory_limiter, resource, kafka acks -1 snappy) run by our CLI and by the
// Go Collector, side by side, under SDK-like serial clients (serial-client.ts) at fixed offered
// rates. Per subject and rate: spans acknowledged/s, the client's export latency, Kafka records,
// the subject's CPU per span from /proc, and spans in Kafka against spans acknowledged.
import { deleteTopic, freshTopic } from '@otlp-kafka/testkit/kafka';
import { endChild, startSerialClient, type SerialClient } from './children.js';
import type { Config } from './config.js';
import { describeLatency, printLatency, type LatencyRow } from './latency-table.js';
import { startGoSeed, startOursSeed, type Subject } from './latency-subjects.js';
import { procRssBytes, procStopwatch } from './proc.js';
import { SEED_MAX_MESSAGE_BYTES } from './seed-agent.js';
import { countTopic, highWatermarks } from './topic-read.js';

interface Entry {
  readonly name: string;
  readonly start: (topic: string) => Promise<Subject>;
}

async function measure(
  cfg: Config,
  client: SerialClient,
  e: Entry,
  rate: number,
  clients: number,
): Promise<LatencyRow> {
  const partitions = cfg.latencyPartitions;
  const topic = await freshTopic(`bench-gocmp-latency-${rate}`, {
    brokers: cfg.brokers,
    partitions,
    config: { 'max.message.bytes': String(SEED_MAX_MESSAGE_BYTES) },
  });
  try {
    const s = await e.start(topic);
    let row: Omit<LatencyRow, 'topic' | 'check'>;
    let acked: number;
    try {
      const warm = await client.run({ url: s.url, rate, clients, durationMs: cfg.latencyWarmupMs });
      await s.drained(warm.okSpans, cfg.timeoutMs);
      const from = await highWatermarks(cfg.brokers, topic, partitions);
      const sw = procStopwatch(s.pid);
      const r = await client.run({ url: s.url, rate, clients, durationMs: cfg.latencyDurationMs });
      await s.drained(warm.okSpans + r.okSpans, cfg.timeoutMs);
      const cost = sw.read();
      row = { subject: e.name, rate, clients, result: r, ...cost, rssBytes: procRssBytes(s.pid), from };
      acked = warm.okSpans + r.okSpans;
    } finally {
      await s.stop();
    }
    const count = await countTopic(cfg.brokers, topic, partitions, row.from);
    // Nobody wins by dropping: every acknowledged span (warm-up included) must be in the topic.
    const d = count.all.spans - acked;
    const check = d === 0 ? 'all in Kafka' : d > 0 ? `+${d} dup` : `LOST ${-d}`;
    const done: LatencyRow = { ...row, topic: count, check };
    console.log(`  ${describeLatency(done)}`);
    return done;
  } finally {
    await deleteTopic(topic, { brokers: cfg.brokers }).catch((err: unknown) =>
      console.error(`could not delete ${topic}: ${String(err)}`),
    );
  }
}

export async function latencyMode(cfg: Config): Promise<LatencyRow[]> {
  const entries: Entry[] = [
    ...(cfg.latencySubjects.includes('ours')
      ? cfg.latencyOursVariants.map((v) => ({ name: v.name, start: (t: string) => startOursSeed(cfg, v, t) }))
      : []),
    ...(cfg.latencySubjects.includes('go')
      ? [{ name: 'go', start: (t: string) => startGoSeed(cfg, t) }]
      : []),
  ];
  if (cfg.latencyRates.length !== cfg.latencyClients.length)
    throw new Error('BENCH_LATENCY_RATES and BENCH_LATENCY_CLIENTS must have the same length');
  console.log(
    `\n== latency mode: the seed's agent pipeline under serial SDK-like clients; subjects: ${entries.map((e) => e.name).join(' | ')}`,
  );
  for (const v of cfg.latencyOursVariants)
    if (v.batch || v.producer)
      console.log(
        `  ${v.name}: batch ${JSON.stringify(v.batch ?? {})} producer ${JSON.stringify(v.producer ?? {})}`,
      );
  const client = await startSerialClient({
    spansPerRequest: cfg.spansPerRequest,
    poolSize: cfg.poolSize,
    attributeBytes: cfg.attributeBytes,
  });
  const rows: LatencyRow[] = [];
  const failures: string[] = [];
  try {
    for (const [i, rate] of cfg.latencyRates.entries()) {
      const clients = cfg.latencyClients[i]!;
      // Rotate the order per rate so a drift in the machine's load does not always hit the same subject.
      for (const e of entries.map((_, k) => entries[(k + i) % entries.length]!)) {
        try {
          rows.push(await measure(cfg, client, e, rate, clients));
        } catch (err) {
          failures.push(`${e.name} at ${rate}/s: ${err instanceof Error ? err.message : String(err)}`);
          console.log(`  FAILED ${failures.at(-1)!}`);
        }
      }
    }
  } finally {
    await endChild(client.child);
  }
  const order = (r: LatencyRow): number =>
    cfg.latencyRates.indexOf(r.rate) * entries.length + entries.findIndex((e) => e.name === r.subject);
  printLatency(
    `latency mode (${cfg.spansPerRequest} spans/request, one request in flight per client, SDK queue 2048, ${cfg.latencyDurationMs / 1000} s per rate after ${cfg.latencyWarmupMs / 1000} s warm-up, ${cfg.latencyPartitions} partitions)`,
    [...rows].sort((a, b) => order(a) - order(b)),
  );
  if (failures.length)
    console.log(
      `\nlatency mode: ${failures.length} run(s) FAILED and are not in the table:\n  ${failures.join('\n  ')}`,
    );
  return rows;
}
