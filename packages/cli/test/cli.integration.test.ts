import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLoadGenerator, startOtlpBackend, type OtlpBackend } from '@otlp-kafka/testkit';
import { kafkaBrokers } from '@otlp-kafka/testkit/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../src/harness/collector-process.js';
import { sendOtlpHttp } from '../src/harness/otlp-http-client.js';
import { main } from '../src/main.js';

const root = new URL('../../../', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The example configs with fresh topics and groups, and short timers so the test is quick. */
function variant(file: string, suffix: string, dir: string): string {
  const text = readFileSync(join(root, 'examples', file), 'utf8')
    .replaceAll(/otlp-(traces|metrics|logs)/g, `otlp-$1-${suffix}`)
    .replaceAll(/otel-gateway-(traces|metrics|logs)/g, `otel-gateway-$1-${suffix}`)
    .replaceAll(/timeout: \d+s/g, 'timeout: 200ms')
    .replaceAll('initial_interval: 5s', 'initial_interval: 200ms');
  const path = join(dir, file);
  writeFileSync(path, text);
  return path;
}

describe('otlp-kafka runs the seed configs end to end', () => {
  const procs: CollectorProcess[] = [];
  let backend: OtlpBackend | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    for (const p of procs) await p.stop(20_000);
    await backend?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('agent -> Kafka -> gateway -> backend: every item arrives, across a backend outage', async () => {
    const suffix = `${Date.now().toString(36)}`;
    dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-cli-it-'));
    const agentYaml = variant('agent.yaml', suffix, dir);
    const gatewayYaml = variant('gateway.yaml', suffix, dir);
    const [httpPort, grpcPort, backendPort, m1, m2] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const env = {
      KAFKA_BROKERS: kafkaBrokers(),
      NODE_NAME: 'it-node',
      AGENT_HTTP_ENDPOINT: `127.0.0.1:${httpPort}`,
      AGENT_GRPC_ENDPOINT: `127.0.0.1:${grpcPort}`,
      AGENT_METRICS_ADDRESS: `127.0.0.1:${m1}`,
      GATEWAY_METRICS_ADDRESS: `127.0.0.1:${m2}`,
      TEMPO_ENDPOINT: `127.0.0.1:${backendPort}`,
      MIMIR_ENDPOINT: `127.0.0.1:${backendPort}`,
      LOKI_ENDPOINT: `127.0.0.1:${backendPort}`,
    };
    Object.assign(process.env, env);
    const io = { out: () => {}, err: (l: string) => console.error(l) };
    expect(
      await main(['topics', '--config', agentYaml, '--config', gatewayYaml, '--partitions', '3'], io),
    ).toBe(0);

    backend = await startOtlpBackend({ host: '127.0.0.1', grpcPort: backendPort, port: 0 });
    for (const [name, config] of [
      ['gateway', gatewayYaml],
      ['agent', agentYaml],
    ] as const) {
      const p = startCollectorProcess({ name, configs: [config], env, logFile: join(dir, `${name}.log`) });
      procs.push(p);
      await p.ready;
    }

    const generator = createLoadGenerator({
      signals: { traces: 1, metrics: 1, logs: 1 },
      itemsPerRequest: 20,
      seed: 7,
    });
    const acked = new Set<string>();
    const send = async (n: number) => {
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const r = generator.generate((['traces', 'metrics', 'logs'] as const)[i % 3]!);
          const res = await sendOtlpHttp(`http://127.0.0.1:${httpPort}`, r.batch, { deadlineMs: 30_000 });
          expect(res.acknowledged).toBe(true);
          for (const id of r.ids) acked.add(id);
        }),
      );
    };
    await send(15);
    await backend.stop();
    await send(15); // acknowledged by the agent while the backend is down: Kafka holds them
    await backend.restart();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && [...acked].some((id) => backend!.sink.count(id) === 0))
      await new Promise((r) => setTimeout(r, 250));
    const report = backend.report([...acked]);
    expect(report.sent).toBe(600);
    expect(report.lost).toBe(0);

    // Each process serves its own metrics; the gateway's include the seed's lag metric.
    const agentMetrics = await (await fetch(`http://127.0.0.1:${m1}/metrics`)).text();
    expect(agentMetrics).toMatch(/otelcol_receiver_accepted_spans\S*\{[^}]*\} \d+/);
    const gatewayMetrics = await (await fetch(`http://127.0.0.1:${m2}/metrics`)).text();
    expect(gatewayMetrics).toMatch(
      new RegExp(`kafka_consumer_group_lag\\{[^}]*group="otel-gateway-traces-${suffix}"`),
    );

    // Graceful shutdown commits what was delivered: the groups end with no lag.
    for (const p of procs.splice(0).reverse()) expect(await p.stop(20_000)).toBe(0);
    const lag: string[] = [];
    const out = { out: (l: string) => lag.push(l), err: (l: string) => console.error(l) };
    expect(
      await main(
        [
          'lag',
          '--brokers',
          kafkaBrokers(),
          '--group',
          `otel-gateway-traces-${suffix}`,
          '--topic',
          `otlp-traces-${suffix}`,
          '--json',
        ],
        out,
      ),
    ).toBe(0);
    const rows = JSON.parse(lag.join('\n'))[`otel-gateway-traces-${suffix}`] as { lag: number }[];
    expect(rows.length).toBe(3);
    expect(rows.reduce((s, r) => s + r.lag, 0)).toBe(0);

    // From the gateway's config: each kafka receiver's group and topics, through its connection settings.
    const fromConfig: string[] = [];
    const io2 = { out: (l: string) => fromConfig.push(l), err: (l: string) => console.error(l) };
    expect(await main(['lag', '--config', gatewayYaml, '--json'], io2)).toBe(0);
    const groups = JSON.parse(fromConfig.join('\n')) as Record<string, { topic: string; lag: number }[]>;
    expect(Object.keys(groups).sort()).toEqual(
      ['logs', 'metrics', 'traces'].map((s) => `otel-gateway-${s}-${suffix}`),
    );
    for (const [group, groupRows] of Object.entries(groups)) {
      expect(groupRows.length, group).toBe(3);
      expect(
        groupRows.reduce((s, r) => s + r.lag, 0),
        group,
      ).toBe(0);
    }
    expect(groups[`otel-gateway-traces-${suffix}`]!.map((r) => r.topic)).toContain(`otlp-traces-${suffix}`);
  });
});
