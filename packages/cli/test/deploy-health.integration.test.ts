import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaBrokers } from '@otlp-kafka/testkit/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import { TERMINATION_GRACE_PERIOD_S } from '../../../deploy/generate.js';
import { startCollectorProcess, type CollectorProcess } from '../src/harness/collector-process.js';
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

/** The agent's config as deploy/k8s/agent.yaml's ConfigMap holds it. */
function agentConfigMap(): string {
  for (const d of parseAllDocuments(readFileSync(join(root, 'deploy/k8s/agent.yaml'), 'utf8'))) {
    const m = d.toJS() as { kind: string; data?: Record<string, string> };
    if (m.kind === 'ConfigMap') return m.data!['config.yaml']!;
  }
  throw new Error('no ConfigMap in deploy/k8s/agent.yaml');
}

/** The health_check address the process logged (its endpoint's port is 0 here). */
async function healthAddress(logFile: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let text = '';
    try {
      text = readFileSync(logFile, 'utf8');
    } catch {
      // not written yet
    }
    for (const line of text.split('\n')) {
      if (!line.includes('health_check listening')) continue;
      return (JSON.parse(line) as { address: string }).address;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no "health_check listening" line in ${logFile}`);
}

const status = (address: string, path: string) =>
  fetch(`http://${address}${path}`).then(
    (r) => r.status,
    () => 0,
  );

describe('health_check of the deployed agent config (a real otlp-kafka process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-deploy-health-'));
  const procs: CollectorProcess[] = [];
  afterAll(async () => {
    for (const p of procs) await p.stop(5_000);
    rmSync(dir, { recursive: true, force: true });
  });
  const configFile = join(dir, 'agent-configmap.yaml');
  writeFileSync(configFile, agentConfigMap());
  // The pod listens on 0.0.0.0:13133; here an ephemeral loopback port.
  const override = 'yaml:extensions: { health_check: { endpoint: "127.0.0.1:0" } }';

  const podEnv = async (brokers: string) => ({
    KAFKA_BROKERS: brokers,
    NODE_NAME: 'it-node',
    AGENT_GRPC_ENDPOINT: `127.0.0.1:${await freePort()}`,
    AGENT_HTTP_ENDPOINT: `127.0.0.1:${await freePort()}`,
    AGENT_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
  });

  it('is not ready while Kafka does not answer (alive all the while), and SIGTERM then exits 0', async () => {
    const deadKafka = await freePort(); // nothing listens there: the producers' connect waits
    const logFile = join(dir, 'dead-kafka.log');
    const p = startCollectorProcess({
      name: 'agent',
      configs: [configFile, override],
      env: await podEnv(`127.0.0.1:${deadKafka}`),
      logFile,
    });
    procs.push(p);
    const address = await healthAddress(logFile);
    for (let i = 0; i < 5; i++) {
      expect(await status(address, '/')).toBe(503);
      expect(await status(address, '/readyz')).toBe(503);
      expect(await status(address, '/livez')).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await p.stop(20_000)).toBe(0);
    procs.splice(procs.indexOf(p), 1);
  });

  it('with Kafka: ready once the pipelines start; SIGTERM drains and exits 0 well within the grace period', async () => {
    const suffix = Date.now().toString(36);
    // The same config with topics of this run (`topics` reads each --config alone, so one file).
    const doc = parseDocument(agentConfigMap());
    for (const signal of ['traces', 'metrics', 'logs'])
      doc.setIn(['exporters', `kafka/${signal}`, 'topic'], `otlp-${signal}-${suffix}`);
    const withTopics = join(dir, 'agent-configmap-topics.yaml');
    writeFileSync(withTopics, doc.toString());
    const env = await podEnv(kafkaBrokers());
    const saved = { ...process.env };
    try {
      Object.assign(process.env, env);
      const io = { out: () => {}, err: (l: string) => console.error(l) };
      const created = await main(
        ['topics', '--config', withTopics, '--partitions', '1', '--replication-factor', '1'],
        io,
      );
      expect(created).toBe(0);
    } finally {
      process.env = saved;
    }
    const logFile = join(dir, 'kafka.log');
    const p = startCollectorProcess({ name: 'agent', configs: [withTopics, override], env, logFile });
    procs.push(p);
    const address = await healthAddress(logFile);
    await p.ready;
    expect(await status(address, '/')).toBe(200);
    const body = (await (await fetch(`http://${address}/`)).json()) as { status: string };
    expect(body.status).toBe('Server available');
    const t0 = Date.now();
    expect(await p.stop(TERMINATION_GRACE_PERIOD_S * 1000)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(TERMINATION_GRACE_PERIOD_S * 1000);
    procs.splice(procs.indexOf(p), 1);
    expect(await status(address, '/livez')).toBe(0); // closed
  });
});
