// One scenario's world: its topics on the run's Kafka, a counting OTLP backend,
// and agent / gateway processes running the CLI on generated YAML. cleanup()
// stops every process and the backend and deletes the topics, also after a failure.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startOtlpBackend, type OtlpBackend } from '@otlp-kafka/testkit';
import { deleteTopic } from '@otlp-kafka/testkit/kafka';
import {
  startCollectorProcess,
  type CollectorProcess,
} from '../../packages/cli/dist/harness/collector-process.js';
import { clusterControl, type ClusterControl } from './cluster.js';
import {
  agentYaml,
  gatewayYaml,
  namesFor,
  SIGNALS,
  writeYaml,
  type GatewayConfig,
  type Names,
} from './configs.js';
import { kafka } from './env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'packages/cli/dist/bin.js');
const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface StackOptions {
  /** Scenario id: names topics and groups (e2e01-...) and the log directory. */
  id: string;
  /** Partitions of each signal's topic (the seed has 12/12/24; fewer keep rebalances quick here). */
  partitions?: number;
  gateway?: Omit<GatewayConfig, 'metricsPort'>;
  /** Agent batch timeout and Kafka delivery timeout. */
  agent?: { batchTimeout?: string; kafkaTimeout?: string; spool?: boolean };
  /** Backend answer delay. */
  backendLatencyMs?: number;
}

export interface Stack {
  readonly dir: string;
  readonly names: Names;
  readonly brokers: string;
  readonly cluster: ClusterControl;
  readonly backend: OtlpBackend;
  /** The environment the collector processes get (KAFKA_BROKERS, BACKEND_ENDPOINT, NODE_NAME). */
  readonly env: Record<string, string>;
  /** Base URL of an agent's OTLP/HTTP receiver (ports are fixed per name, so a restarted agent keeps them). */
  agentUrl(name?: string): string;
  /** Starts an agent (again) and waits until it is ready. */
  startAgent(name?: string): Promise<CollectorProcess>;
  /** Starts a gateway with the scenario's gateway config and waits until it is ready. */
  startGateway(name?: string): Promise<CollectorProcess>;
  /** The latest process of that name. */
  proc(name: string): CollectorProcess;
  /** The Prometheus port of a process. */
  metricsPort(name: string): number;
  /** Runs `otlp-kafka <args>` to completion (stdout). */
  cli(args: readonly string[]): Promise<string>;
  logFile(name: string): string;
  /** SIGTERM (drain and commit) to every running process, agents first; exit code (or signal) per name. */
  stopAll(): Promise<Record<string, number | string>>;
  cleanup(): Promise<void>;
}

// Collector processes die with the test worker even if it is killed mid-scenario.
const children = new Set<number>();
process.on('exit', () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export async function createStack(o: StackOptions): Promise<Stack> {
  const k = kafka();
  const cluster = clusterControl(k);
  await cluster.ensureUp();
  const names = namesFor(`e2e${o.id}-${Date.now().toString(36)}`);
  const dir = join(ROOT, '.cache/e2e', o.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const backend = await startOtlpBackend({
    host: '127.0.0.1',
    port: 0,
    grpcPort: 0,
    latencyMs: o.backendLatencyMs ?? 0,
  });
  const env = {
    KAFKA_BROKERS: k.brokers,
    BACKEND_ENDPOINT: backend.grpcAddress,
    NODE_NAME: `e2e-${o.id}`,
    // Used only by agents configured with a spool; it survives the agent's restarts.
    AGENT_SPOOL_DIR: join(dir, 'spool'),
  };
  const procs = new Map<string, CollectorProcess>();
  const ports = new Map<string, { http: number; grpc: number; metrics: number }>();
  const portsOf = async (name: string) => {
    let p = ports.get(name);
    if (!p) {
      p = { http: await freePort(), grpc: await freePort(), metrics: await freePort() };
      ports.set(name, p);
    }
    return p;
  };
  const logFile = (name: string) => join(dir, `${name}.log`);
  const start = async (name: string, config: string) => {
    const p = startCollectorProcess({
      name,
      configs: [config],
      env,
      logFile: logFile(name),
      readyTimeoutMs: 120_000,
    });
    if (p.pid !== undefined) {
      children.add(p.pid);
      void p.exited.then(() => children.delete(p.pid!));
    }
    procs.set(name, p);
    await p.ready;
    return p;
  };
  const cli = async (args: readonly string[]) =>
    (await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }))
      .stdout;

  // Topics for the seed's settings (retention, replication 3), fewer partitions.
  const topicsAgent = writeYaml(
    dir,
    'topics-agent',
    agentYaml(names, { httpPort: 1, grpcPort: 2, metricsPort: 3 }),
  );
  const topicsGateway = writeYaml(
    dir,
    'topics-gateway',
    gatewayYaml(names, { ...o.gateway, metricsPort: 4 }),
  );
  await cli([
    'topics',
    '--config',
    topicsAgent,
    '--config',
    topicsGateway,
    '--partitions',
    String(o.partitions ?? 6),
  ]);

  return {
    dir,
    names,
    brokers: k.brokers,
    cluster,
    backend,
    env,
    agentUrl: (name = 'agent') => {
      const p = ports.get(name);
      if (!p) throw new Error(`no agent ${name}`);
      return `http://127.0.0.1:${p.http}`;
    },
    async startAgent(name = 'agent') {
      const p = await portsOf(name);
      const config = writeYaml(
        dir,
        name,
        agentYaml(names, { httpPort: p.http, grpcPort: p.grpc, metricsPort: p.metrics, ...o.agent }),
      );
      return start(name, config);
    },
    async startGateway(name = 'gateway') {
      const p = await portsOf(name);
      return start(name, writeYaml(dir, name, gatewayYaml(names, { ...o.gateway, metricsPort: p.metrics })));
    },
    proc(name) {
      const p = procs.get(name);
      if (!p) throw new Error(`no process ${name}`);
      return p;
    },
    metricsPort(name) {
      const p = ports.get(name);
      if (!p) throw new Error(`no process ${name}`);
      return p.metrics;
    },
    cli,
    logFile,
    async stopAll() {
      const codes: Record<string, number | string> = {};
      const order = [...procs.keys()].sort(
        (a, b) => Number(b.startsWith('agent')) - Number(a.startsWith('agent')),
      );
      const agents = order.filter((n) => n.startsWith('agent'));
      const others = order.filter((n) => !n.startsWith('agent'));
      for (const group of [agents, others])
        await Promise.all(group.map(async (n) => (codes[n] = await procs.get(n)!.stop(60_000))));
      return codes;
    },
    async cleanup() {
      await Promise.all([...procs.values()].map((p) => p.stop(20_000).catch(() => p.kill())));
      await backend.stop().catch(() => {});
      // Kafka may be what failed: restore it for the next scenario, then drop this one's topics.
      await cluster.ensureUp().catch((e: unknown) => console.error(`[e2e] Kafka not restored: ${String(e)}`));
      const topics = [
        ...SIGNALS.map((s) => names.topics[s]),
        ...(o.gateway?.deadLetter ? [names.deadLetter] : []),
      ];
      for (const t of topics) await deleteTopic(t, { brokers: k.brokers }).catch(() => {});
    },
  };
}
