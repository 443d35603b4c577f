import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { CliIo } from '../src/internal/io.js';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const root = new URL('../../../', import.meta.url).pathname;

describe('otlp-kafka CLI', () => {
  it('prints help and the version', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/otlp-kafka --config agent\.yaml/);
    const v = capture();
    expect(await main(['--version'], v)).toBe(0);
    expect(v.stdout[0]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('validates the example configs', async () => {
    process.env.NODE_NAME = 'test-node';
    for (const f of ['examples/agent.yaml', 'examples/gateway.yaml', 'examples/agent-spool.yaml']) {
      const io = capture();
      expect(await main(['validate', '--config', join(root, f)], io)).toBe(0);
      expect(io.stdout).toEqual(['configuration is valid: pipelines traces, metrics, logs']);
    }
  });

  it('exits 2 naming the problems of an invalid config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n  kafka:\n    producer:\n      compression: brotli\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [kafka]\n',
    );
    const io = capture();
    expect(await main(['validate', '--config', file], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/exporters\.kafka\.producer\.compression: /);
  });

  it('exits 2 for a missing config file, an unknown command and a bad flag value', async () => {
    const a = capture();
    expect(await main(['validate', '--config', '/nonexistent/x.yaml'], a)).toBe(2);
    expect(a.stderr.join()).toMatch(/cannot read config file \/nonexistent\/x\.yaml/);
    const b = capture();
    expect(await main(['frobnicate'], b)).toBe(2);
    expect(b.stderr.join()).toMatch(/unknown command "frobnicate"/);
    const c = capture();
    expect(await main(['topics', '--config', 'x.yaml', '--partitions', 'many'], c)).toBe(2);
    expect(c.stderr.join()).toMatch(/--partitions must be a non-negative number/);
    const d = capture();
    expect(await main(['lag'], d)).toBe(2);
    expect(d.stderr.join()).toMatch(/usage: otlp-kafka lag/);
  });

  it('lists the seed topics with a dry run', async () => {
    process.env.NODE_NAME = 'test-node';
    const io = capture();
    const code = await main(['topics', '--dry-run', '--config', join(root, 'examples/agent.yaml')], io);
    expect(code).toBe(0);
    expect(io.stdout.map((l) => l.split(/\s+/).slice(1).join(' '))).toEqual([
      'otlp-traces security=plaintext partitions=12 replication=3 retention.ms=86400000 retention.bytes=10737418240',
      'otlp-metrics security=plaintext partitions=12 replication=3 retention.ms=86400000 retention.bytes=10737418240',
      'otlp-logs security=plaintext partitions=24 replication=3 retention.ms=86400000 retention.bytes=21474836480',
    ]);
  });

  it("creates topics through the config's TLS and SASL settings, one admin connection per way in", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-kafka-cli-'));
    const file = join(dir, 'secure.yaml');
    writeFileSync(
      file,
      [
        'receivers:',
        '  otlp:',
        '    protocols:',
        '      http:',
        'exporters:',
        '  kafka/secure:',
        '    brokers: [b1:9093]',
        '    topic: spans',
        '    auth:',
        '      sasl: { mechanism: SCRAM-SHA-512, username: u, password: p }',
        '      tls: { ca_file: /etc/ca.pem }',
        '  kafka/tls:',
        '    brokers: [b1:9093]',
        '    topic: logs',
        '    tls: { insecure_skip_verify: true }',
        '  kafka/plain:',
        '    brokers: [b1:9093]',
        '    topic: metrics',
        'service:',
        '  pipelines:',
        '    traces: { receivers: [otlp], exporters: [kafka/secure] }',
        '    logs: { receivers: [otlp], exporters: [kafka/tls] }',
        '    metrics: { receivers: [otlp], exporters: [kafka/plain] }',
        '',
      ].join('\n'),
    );
    const io = capture();
    expect(await main(['topics', '--dry-run', '--config', file], io)).toBe(0);
    expect(io.stdout.map((l) => l.split(/\s+/).slice(0, 3).join(' ')).sort()).toEqual([
      'b1:9093 logs security=ssl',
      'b1:9093 metrics security=plaintext',
      'b1:9093 spans security=sasl_ssl',
    ]);
  });

  it('lag --config names the config when it has no kafka receiver', async () => {
    const io = capture();
    expect(await main(['lag', '--config', join(root, 'examples/agent.yaml')], io)).toBe(2);
    expect(io.stderr.join()).toMatch(/has no kafka receiver/);
  });
});
