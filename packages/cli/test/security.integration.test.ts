// otlp-kafka from YAML against the secure listeners of a private Kafka (testkit secure mode):
// `topics` and `lag` through auth.sasl / tls, an agent writing over SASL_SSL (SCRAM-SHA-512)
// and a gateway reading over mTLS, every span arriving at the backend; a wrong password in
// the config ends `topics` and the agent's start with the cause.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLoadGenerator, startOtlpBackend, type OtlpBackend } from '@otlp-kafka/testkit';
import {
  freshGroup,
  startKafkaCluster,
  type KafkaCluster,
  type SecureEndpoints,
} from '@otlp-kafka/testkit/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../src/harness/collector-process.js';
import { sendOtlpHttp } from '../src/harness/otlp-http-client.js';
import { main } from '../src/main.js';

let cluster: KafkaCluster;
let sec: SecureEndpoints;
let dir: string;
const procs: CollectorProcess[] = [];
let backend: OtlpBackend | undefined;

beforeAll(async () => {
  cluster = await startKafkaCluster({ secure: true });
  sec = cluster.security!;
  dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-cli-security-'));
});
afterAll(async () => {
  for (const p of procs) await p.stop(20_000);
  await backend?.stop();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function write(name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

function capture(): {
  io: { out: (l: string) => void; err: (l: string) => void };
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, out, err };
}

/** The agent: OTLP/HTTP in, the kafka exporter over SASL_SSL with the given password. */
function agentYaml(topic: string, httpPort: number, metricsPort: number, password: string): string {
  const u = sec.users['SCRAM-SHA-512'];
  return `receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${httpPort}
exporters:
  kafka:
    brokers: [${sec.saslSslBrokers}]
    topic: ${topic}
    encoding: otlp_proto
    auth:
      sasl:
        mechanism: SCRAM-SHA-512
        username: ${u.username}
        password: ${password}
      tls:
        ca_file: ${sec.caFile}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [kafka]
  telemetry:
    metrics:
      address: 127.0.0.1:${metricsPort}
`;
}

/** The gateway: the kafka receiver over mTLS, OTLP/gRPC out to the backend. */
function gatewayYaml(
  topic: string,
  group: string,
  backendPort: number,
  metricsPort: number,
  clientCert = true,
): string {
  const cert = clientCert
    ? `\n      cert_file: ${sec.clientCertFile}\n      key_file: ${sec.clientKeyFile}`
    : '';
  return `receivers:
  kafka:
    brokers: ${sec.sslBrokers}
    topic: ${topic}
    group_id: ${group}
    encoding: otlp_proto
    initial_offset: earliest
    auto_commit:
      enable: true
      interval: 200ms
    tls:
      ca_file: ${sec.caFile}${cert}
exporters:
  otlp:
    endpoint: 127.0.0.1:${backendPort}
    tls:
      insecure: true
service:
  pipelines:
    traces:
      receivers: [kafka]
      exporters: [otlp]
  telemetry:
    metrics:
      address: 127.0.0.1:${metricsPort}
`;
}

describe('otlp-kafka from YAML through SASL_SSL and mTLS', () => {
  it('topics, an agent over SCRAM-SHA-512, a gateway over mTLS, and lag: every span arrives', async () => {
    const suffix = Date.now().toString(36);
    const topic = `otlp-traces-secure-${suffix}`;
    const group = freshGroup('gateway-secure');
    const [httpPort, backendPort, m1, m2] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const agent = write('agent.yaml', agentYaml(topic, httpPort, m1, sec.users['SCRAM-SHA-512'].password));
    const gateway = write('gateway.yaml', gatewayYaml(topic, group, backendPort, m2));

    const topics = capture();
    expect(
      await main(
        ['topics', '--config', agent, '--config', gateway, '--partitions', '2', '--replication-factor', '1'],
        topics.io,
      ),
      topics.err.join('\n'),
    ).toBe(0);
    expect(topics.out.join('\n')).toContain(topic);

    backend = await startOtlpBackend({ host: '127.0.0.1', grpcPort: backendPort, port: 0 });
    for (const [name, config] of [
      ['gateway', gateway],
      ['agent', agent],
    ] as const) {
      const p = startCollectorProcess({ name, configs: [config], logFile: join(dir, `${name}.log`) });
      procs.push(p);
      await p.ready;
    }

    const generator = createLoadGenerator({ signals: { traces: 1 }, itemsPerRequest: 10, seed: 14 });
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = generator.generate('traces');
      const res = await sendOtlpHttp(`http://127.0.0.1:${httpPort}`, r.batch, { deadlineMs: 30_000 });
      expect(res.acknowledged).toBe(true);
      acked.push(...r.ids);
    }
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && acked.some((id) => backend!.sink.count(id) === 0))
      await new Promise((r) => setTimeout(r, 100));
    const report = backend.report(acked);
    expect(report.sent).toBe(50);
    expect(report.lost).toBe(0);

    // A graceful stop commits what was delivered: lag through the gateway's mTLS connection is 0.
    for (const p of procs.splice(0)) await p.stop(20_000);
    const lag = capture();
    expect(await main(['lag', '--config', gateway, '--json'], lag.io), lag.err.join('\n')).toBe(0);
    const rows = (
      JSON.parse(lag.out.join('\n')) as Record<string, { topic: string; lag: number; high: number }[]>
    )[group]!;
    expect(rows.map((r) => r.topic)).toEqual([topic, topic]);
    expect(rows.reduce((s, r) => s + r.lag, 0)).toBe(0);
    // Five requests, five records (the agent has no batcher); all read and committed.
    expect(rows.reduce((s, r) => s + r.high, 0)).toBe(5);
  });

  it('a wrong password ends `topics` and the agent start with the SASL cause, quickly', async () => {
    const [httpPort, m1] = await Promise.all([freePort(), freePort()]);
    const agent = write(
      'agent-wrong.yaml',
      agentYaml(`otlp-traces-wrong-${Date.now()}`, httpPort, m1, 'wrong'),
    );

    const topics = capture();
    const began = Date.now();
    expect(await main(['topics', '--config', agent, '--replication-factor', '1'], topics.io)).not.toBe(0);
    expect(topics.err.join('\n')).toMatch(/SASL authentication failed.*invalid credentials.*SCRAM-SHA-512/);
    expect(Date.now() - began).toBeLessThan(10_000);

    const p = startCollectorProcess({
      name: 'agent-wrong',
      configs: [agent],
      logFile: join(dir, 'agent-wrong.log'),
      readyTimeoutMs: 30_000,
    });
    procs.push(p);
    await expect(p.ready).rejects.toThrow();
    expect(await p.exited).not.toBe(0);
    expect(readFileSync(join(dir, 'agent-wrong.log'), 'utf8')).toMatch(/SASL authentication failed/);
  });

  it('lag through a gateway config without its client certificate names the cause, quickly', async () => {
    const [backendPort, m2] = await Promise.all([freePort(), freePort()]);
    const gateway = write(
      'gateway-nocert.yaml',
      gatewayYaml('otlp-traces-nocert', freshGroup('nocert'), backendPort, m2, false),
    );
    const lag = capture();
    const began = Date.now();
    expect(await main(['lag', '--config', gateway, '--json'], lag.io)).not.toBe(0);
    expect(lag.err.join('\n')).toMatch(/refused the client certificate.*tls\.cert_file/);
    expect(Date.now() - began).toBeLessThan(10_000);
  });
});
