// An application using the OpenTelemetry JS SDK at its default settings
// (BatchSpanProcessor / BatchLogRecordProcessor: queue 2048, batches of 512, one export at a
// time) sends to an agent running the seed's examples/agent.yaml (batch 1024 / 2048 / 5s,
// acks -1, snappy). The SDK waits for each export's answer, so an agent that holds callers
// until a batch fills makes the SDK's queue overflow and drop. Every created item must reach
// Kafka, with nothing dropped and no export failed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signal } from '@otlp-kafka/core';
import { createBatch } from '@otlp-kafka/pdata';
import { itemIds } from '@otlp-kafka/testkit';
import { consumeRaw, deleteTopic, freshTopic, kafkaBrokers } from '@otlp-kafka/testkit/kafka';
import {
  killSdkClients,
  runSdkClients,
  type SdkClientReport,
  type SdkProtocol,
  type SdkSignal,
} from '@otlp-kafka/testkit/sdk-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../src/harness/collector-process.js';
import { groupLag } from '../src/internal/group-lag.js';

const root = new URL('../../../', import.meta.url).pathname;
const LOAD_MS = 10_000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** examples/agent.yaml with its topics renamed; everything else (batch, limiter, acks, compression) as in the seed. */
function agentConfig(dir: string, topics: Record<Signal, string>): string {
  const text = readFileSync(join(root, 'examples', 'agent.yaml'), 'utf8').replaceAll(
    /topic: otlp-(traces|metrics|logs)$/gm,
    (_, s: Signal) => `topic: ${topics[s]}`,
  );
  for (const s of ['traces', 'metrics', 'logs'] as const) expect(text).toContain(`topic: ${topics[s]}\n`);
  const path = join(dir, 'agent.yaml');
  writeFileSync(path, text);
  return path;
}

interface Tally {
  records: number;
  /** Times each id occurs in the topic. */
  counts: Map<string, number>;
}

/** Every record of the topic (the high watermarks say how many), decoded to item ids. */
async function readIds(signal: Signal, topic: string): Promise<Tally> {
  const rows = await groupLag([kafkaBrokers()], `sdk-defaults-read-${Date.now().toString(36)}`, [topic]);
  const total = rows.reduce((s, r) => s + r.high - r.low, 0);
  const records = total === 0 ? [] : await consumeRaw(topic, { count: total, timeoutMs: 60_000 });
  expect(records.length, 'records read back from the topic').toBe(total);
  const counts = new Map<string, number>();
  for (const r of records) {
    const batch = createBatch(signal, r.value ?? new Uint8Array());
    if (batch.isErr())
      throw new Error(`record ${r.partition}/${r.offset} does not decode: ${batch.error.message}`);
    const ids = itemIds(batch.value);
    if (ids.isErr()) throw new Error(`record ${r.partition}/${r.offset}: ${ids.error.message}`);
    for (const id of ids.value) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return { records: records.length, counts };
}

interface Case {
  signal: SdkSignal;
  protocol: SdkProtocol;
  processes: number;
  perProcess: number;
}

const CASES: Case[] = [
  { signal: 'traces', protocol: 'http/protobuf', processes: 1, perProcess: 1000 },
  { signal: 'traces', protocol: 'http/protobuf', processes: 1, perProcess: 10_000 },
  { signal: 'traces', protocol: 'http/protobuf', processes: 8, perProcess: 2000 },
  { signal: 'traces', protocol: 'http/json', processes: 1, perProcess: 1000 },
  { signal: 'traces', protocol: 'grpc', processes: 1, perProcess: 1000 },
  { signal: 'logs', protocol: 'http/protobuf', processes: 1, perProcess: 1000 },
  { signal: 'logs', protocol: 'grpc', processes: 1, perProcess: 1000 },
];

const fmt = (n: number) => n.toLocaleString('en-US');

describe('the OpenTelemetry JS SDK at its defaults loses nothing through the seed agent', () => {
  let agent: CollectorProcess | undefined;
  const topics: string[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await killSdkClients();
    await agent?.stop(20_000);
    agent = undefined;
    for (const t of topics.splice(0)) await deleteTopic(t).catch(() => {});
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it.each(CASES)('$signal over $protocol: $processes process(es) × $perProcess/s', async (c) => {
    const label = `${c.signal} ${c.protocol} ${c.processes}×${fmt(c.perProcess)}/s`;
    const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-sdk-defaults-'));
    dirs.push(dir);
    const names = {} as Record<Signal, string>;
    for (const s of ['traces', 'metrics', 'logs'] as const) {
      names[s] = await freshTopic(`sdk-defaults-${s}`, { partitions: 3 });
      topics.push(names[s]);
    }
    const [httpPort, grpcPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    agent = startCollectorProcess({
      name: 'agent',
      configs: [agentConfig(dir, names)],
      env: {
        KAFKA_BROKERS: kafkaBrokers(),
        NODE_NAME: 'sdk-defaults-node',
        AGENT_HTTP_ENDPOINT: `127.0.0.1:${httpPort}`,
        AGENT_GRPC_ENDPOINT: `127.0.0.1:${grpcPort}`,
        AGENT_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      },
      logFile: join(dir, 'agent.log'),
    });
    await agent.ready;

    const endpoint = `http://127.0.0.1:${c.protocol === 'grpc' ? grpcPort : httpPort}`;
    const reports: SdkClientReport[] = await runSdkClients(
      Array.from({ length: c.processes }, (_, i) => ({
        signal: c.signal,
        protocol: c.protocol,
        endpoint,
        itemsPerSecond: c.perProcess,
        durationMs: LOAD_MS,
        name: `sdk-${i}`,
      })),
    );
    // Every export has been answered: what the agent acknowledged is in Kafka by now.
    const tally = await readIds(c.signal, names[c.signal]);

    const created = reports.reduce((s, r) => s + r.created, 0);
    const dropped = reports.reduce((s, r) => s + r.dropped, 0);
    const diagDropped = reports.reduce((s, r) => s + r.diagDropped, 0);
    const dropRuns = reports.reduce((s, r) => s + r.dropRuns, 0);
    const failed = reports.flatMap((r) => r.failed);
    const missing: string[] = [];
    let duplicated = 0;
    let createdIds = 0;
    for (const r of reports)
      for (const id of [...r.acked, ...r.failed]) {
        createdIds++;
        const n = tally.counts.get(id) ?? 0;
        if (n === 0) missing.push(id);
        if (n > 1) duplicated++;
      }
    const inKafka = createdIds - missing.length;
    const worst = (f: (r: SdkClientReport) => number) => Math.max(...reports.map(f)).toFixed(0);
    console.error(
      `[sdk-defaults] ${label}: created ${fmt(created)} of ${fmt((c.processes * c.perProcess * LOAD_MS) / 1000)}, in Kafka ${fmt(inKafka)} (${tally.records} records, ` +
        `${missing.length} exported but missing, ${duplicated} duplicated), dropped ${fmt(dropped)} ` +
        `(diag: ${fmt(diagDropped)} in ${dropRuns} runs), failed ${failed.length}, ` +
        `exports ${reports.reduce((s, r) => s + r.exports, 0)} (max batch ${worst((r) => r.maxBatch)}), ` +
        `export p50 ${worst((r) => r.exportMs.p50)} ms p99 ${worst((r) => r.exportMs.p99)} ms max ${worst((r) => r.exportMs.max)} ms, ` +
        `client loop lag max ${worst((r) => r.maxLoopLagMs)} ms, starved ${worst((r) => r.starvedMs)} ms` +
        (failed.length ? `; first error: ${reports.flatMap((r) => r.diagMessages)[0] ?? '?'}` : ''),
    );

    // The load really ran: a client starved of CPU for most of the run (an overloaded machine) proves nothing.
    for (const r of reports)
      expect(r.created, `${r.name} created (starved ${r.starvedMs.toFixed(0)} ms)`).toBeGreaterThanOrEqual(
        (c.perProcess * LOAD_MS) / 2000,
      );
    expect({ dropped, diagDropped, dropRuns }, 'items the SDK dropped (its queue was full)').toEqual({
      dropped: 0,
      diagDropped: 0,
      dropRuns: 0,
    });
    expect(failed.length, 'items in exports that failed').toBe(0);
    expect(missing.slice(0, 10), 'exported items not in Kafka').toEqual([]);
    expect(inKafka).toBe(created);
  });
});
