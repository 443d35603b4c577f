// The agent with a disk spool (examples/agent-spool.yaml) while Kafka is unreachable: an
// application's OpenTelemetry SDK at its defaults keeps exporting successfully (the agent
// acknowledges once the batch is on disk), and everything acknowledged reaches Kafka after
// the agent is restarted with Kafka reachable. The same load against examples/agent.yaml
// shows what the applications lose without the spool.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signal } from '@otlp-kafka/core';
import { createBatch } from '@otlp-kafka/pdata';
import { itemIds } from '@otlp-kafka/testkit';
import { consumeRaw, deleteTopic, freshTopic, kafkaBrokers } from '@otlp-kafka/testkit/kafka';
import { killSdkClients, runSdkClients } from '@otlp-kafka/testkit/sdk-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../src/harness/collector-process.js';
import { groupLag } from '../src/internal/group-lag.js';

const root = new URL('../../../', import.meta.url).pathname;
const LOAD_MS = 8000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function config(
  dir: string,
  example: string,
  topics: Record<Signal, string>,
  edit: (text: string) => string = (t) => t,
): string {
  const text = edit(
    readFileSync(join(root, 'examples', example), 'utf8').replaceAll(
      /topic: otlp-(traces|metrics|logs)$/gm,
      (_, s: Signal) => `topic: ${topics[s]}`,
    ),
  );
  const path = join(dir, example);
  writeFileSync(path, text);
  return path;
}

async function idsIn(topic: string): Promise<Set<string>> {
  const rows = await groupLag([kafkaBrokers()], `spool-read-${Date.now().toString(36)}`, [topic]);
  const total = rows.reduce((s, r) => s + r.high - r.low, 0);
  const records = total === 0 ? [] : await consumeRaw(topic, { count: total, timeoutMs: 60_000 });
  const ids = new Set<string>();
  for (const r of records)
    for (const id of itemIds(createBatch('traces', r.value!).unwrap()).unwrap()) ids.add(id);
  return ids;
}

describe('agent with a disk spool while Kafka is unreachable', () => {
  const agents: CollectorProcess[] = [];
  const cleanup: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    await killSdkClients();
    for (const a of agents.splice(0)) await a.stop(20_000);
    for (const c of cleanup.splice(0)) await c();
  });

  /** Fresh topics, a temp dir, and helpers to start agents and SDK load against them. */
  async function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-spool-agent-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const topics = {} as Record<Signal, string>;
    for (const s of ['traces', 'metrics', 'logs'] as const) {
      topics[s] = await freshTopic(`spool-agent-${s}`, { partitions: 2 });
      cleanup.push(() => deleteTopic(topics[s]).catch(() => {}));
    }
    const unreachable = `127.0.0.1:${await freePort()}`;
    const start = async (example: string, brokers: string, name: string, edit?: (t: string) => string) => {
      const [http, grpc, metrics] = await Promise.all([freePort(), freePort(), freePort()]);
      const agent = startCollectorProcess({
        name,
        configs: [config(dir, example, topics, edit)],
        env: {
          KAFKA_BROKERS: brokers,
          NODE_NAME: 'spool-node',
          AGENT_SPOOL_DIR: join(dir, 'spool'),
          AGENT_HTTP_ENDPOINT: `127.0.0.1:${http}`,
          AGENT_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
          AGENT_METRICS_ADDRESS: `127.0.0.1:${metrics}`,
        },
        logFile: join(dir, `${name}.log`),
      });
      agents.push(agent);
      await agent.ready;
      return { agent, endpoint: `http://127.0.0.1:${http}` };
    };
    const load = (endpoint: string, name: string) =>
      runSdkClients([
        {
          signal: 'traces',
          protocol: 'http/protobuf',
          endpoint,
          itemsPerSecond: 500,
          durationMs: LOAD_MS,
          name,
        },
      ]);

    return { dir, topics, unreachable, start, load };
  }

  it('the SDK at its defaults loses nothing with the spool; without it, it drops', async () => {
    const { topics, unreachable, start, load } = await setup();
    // Without the spool: the SDK's exports fail once its retries run out, and it drops.
    const plain = await start('agent.yaml', unreachable, 'agent-plain');
    const [without] = await load(plain.endpoint, 'sdk-plain');
    await plain.agent.stop(20_000);
    agents.splice(0);
    console.error(
      `[spool-agent] without the spool, Kafka unreachable: created ${without!.created}, acknowledged ${without!.acked.length}, failed ${without!.failed.length}, dropped ${without!.dropped}`,
    );
    expect(without!.acked.length).toBe(0);
    expect(without!.failed.length + without!.dropped).toBeGreaterThan(0);

    // With the spool: every export succeeds while Kafka is still unreachable.
    const spooled = await start('agent-spool.yaml', unreachable, 'agent-spool');
    const [withSpool] = await load(spooled.endpoint, 'sdk-spool');
    expect({ failed: withSpool!.failed.length, dropped: withSpool!.dropped }).toEqual({
      failed: 0,
      dropped: 0,
    });
    expect(withSpool!.acked.length).toBe(withSpool!.created);
    expect(await spooled.agent.stop(20_000)).toBe(0);
    agents.splice(0);

    // Restarted with Kafka reachable: the spool forwards everything it acknowledged.
    const back = await start('agent-spool.yaml', kafkaBrokers(), 'agent-back');
    const expected = new Set(withSpool!.acked);
    let inKafka = new Set<string>();
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      inKafka = await idsIn(topics.traces);
      if ([...expected].every((id) => inKafka.has(id))) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const missing = [...expected].filter((id) => !inKafka.has(id));
    console.error(
      `[spool-agent] with the spool: created ${withSpool!.created}, acknowledged ${expected.size}, in Kafka after restart ${inKafka.size}, missing ${missing.length}`,
    );
    expect(missing.slice(0, 10)).toEqual([]);
    expect(await back.agent.stop(20_000)).toBe(0);
  }, 180_000);

  it('a spool smaller than the outage answers with backpressure, and everything it acknowledged arrives', async () => {
    const { topics, unreachable, start, load } = await setup();
    // Room for a few of the SDK's exports, far less than the outage brings.
    const small = (t: string) => t.replaceAll('queue_size: 268435456', 'queue_size: 200000');
    const spooled = await start('agent-spool.yaml', unreachable, 'agent-small', small);
    const [report] = await load(spooled.endpoint, 'sdk-small');
    const refused = report!.failed.length + report!.dropped;
    console.error(
      `[spool-agent] spool of 200 kB: created ${report!.created}, acknowledged ${report!.acked.length}, refused (failed or dropped) ${refused}`,
    );
    expect(report!.acked.length).toBeGreaterThan(0);
    expect(refused, 'exports refused with backpressure once the spool was full').toBeGreaterThan(0);
    expect(await spooled.agent.stop(20_000)).toBe(0);
    agents.splice(0);
    const back = await start('agent-spool.yaml', kafkaBrokers(), 'agent-small-back', small);
    const expected = new Set(report!.acked);
    let inKafka = new Set<string>();
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      inKafka = await idsIn(topics.traces);
      if ([...expected].every((id) => inKafka.has(id))) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect([...expected].filter((id) => !inKafka.has(id)).slice(0, 10)).toEqual([]);
    expect(await back.agent.stop(20_000)).toBe(0);
  }, 180_000);
});
