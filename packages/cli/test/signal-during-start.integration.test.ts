import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../src/harness/collector-process.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('SIGTERM while the pipelines start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-signal-'));
  let proc: CollectorProcess | undefined;
  afterAll(async () => {
    await proc?.stop(5_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shuts down with exit 0 and opens no receiver (a start in progress is waited for within the deadline only)', async () => {
    const [deadKafka, metrics] = [await freePort(), await freePort()]; // nothing listens on deadKafka
    const config = join(dir, 'agent.yaml');
    writeFileSync(
      config,
      [
        'receivers:',
        '  otlp:',
        '    protocols:',
        '      http: { endpoint: "127.0.0.1:0" }',
        'exporters:',
        '  kafka:',
        `    brokers: [127.0.0.1:${deadKafka}]`,
        'service:',
        '  telemetry:',
        `    metrics: { address: "127.0.0.1:${metrics}" }`,
        '  pipelines:',
        '    traces: { receivers: [otlp], exporters: [kafka] }',
        '',
      ].join('\n'),
    );
    const logFile = join(dir, 'agent.log');
    proc = startCollectorProcess({ name: 'agent', configs: [config], env: {}, logFile });
    // The metrics endpoint is served before the pipelines start: once it answers, start is under way.
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${metrics}/metrics`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Exit 0 means the signal won: a start that ran to its end here fails (Kafka never answers), exit 1.
    expect(await proc.stop(20_000)).toBe(0);
    proc = undefined;
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('signal during start');
    expect(log).not.toContain('everything is ready');
    expect(log).toContain('shutdown complete');
  }, 30_000);
});
