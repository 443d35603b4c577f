import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/parse.js';
import { registry } from './registry.js';

const root = new URL('../../../', import.meta.url);
const read = (p: string) => ({ name: p, text: readFileSync(new URL(p, root), 'utf8') });
const env = { NODE_NAME: 'node-1' };

function problems(text: string, extraEnv: Record<string, string> = {}): string[] {
  const r = parseConfig([{ name: 't.yaml', text }], registry, { ...env, ...extraEnv });
  if (r.isOk()) return [];
  return [...r.error.problems];
}

const minimal = (body: string) => `
receivers:
  otlp:
    protocols:
      grpc:
exporters:
  kafka:
    brokers: [127.0.0.1:9092]
${body}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [kafka]
`;

describe('parseConfig', () => {
  it('accepts the example agent config (the seed agent, on loopback)', () => {
    const r = parseConfig([read('examples/agent.yaml')], registry, env);
    expect(r.isOk() ? [] : r.error.problems).toEqual([]);
    const c = r.unwrap();
    expect([...c.exporters.keys()]).toEqual(['kafka/traces', 'kafka/metrics', 'kafka/logs']);
    expect(c.exporters.get('kafka/traces')!.config).toMatchObject({
      topic: 'otlp-traces',
      encoding: 'otlp_proto',
      producer: {
        compression: 'snappy',
        max_message_bytes: 10000000,
        flush_max_messages: 500,
        required_acks: -1,
      },
    });
    expect(c.processors.get('batch')!.config).toEqual({
      send_batch_size: 1024,
      send_batch_max_size: 2048,
      timeout: 5000,
    });
    expect(c.processors.get('resource')!.config).toMatchObject({
      attributes: [
        { key: 'collector.tier', value: 'agent', action: 'upsert' },
        { key: 'collector.node', value: 'node-1', action: 'upsert' },
      ],
    });
    expect(Object.keys(c.service.pipelines)).toEqual(['traces', 'metrics', 'logs']);
  });

  it('accepts the example gateway config', () => {
    const r = parseConfig([read('examples/gateway.yaml')], registry, env);
    expect(r.isOk() ? [] : r.error.problems).toEqual([]);
    const c = r.unwrap();
    expect(c.receivers.get('kafka/logs')!.config).toMatchObject({
      topic: 'otlp-logs',
      group_id: 'otel-gateway-logs',
      initial_offset: 'earliest',
      auto_commit: { enable: true, interval: 5000 },
      brokers: ['127.0.0.1:39092'],
    });
    expect(c.exporters.get('otlp/traces')!.config).toMatchObject({
      retry_on_failure: {
        enabled: true,
        initial_interval: 5000,
        max_interval: 60000,
        max_elapsed_time: 300000,
      },
      sending_queue: { enabled: true, num_consumers: 10, queue_size: 5000 },
    });
  });

  it('names the path and accepted values of a bad option', () => {
    expect(
      problems(
        minimal('').replace(
          'brokers: [127.0.0.1:9092]',
          'brokers: [127.0.0.1:9092]\n    producer:\n      required_acks: 2',
        ),
      ),
    ).toEqual([
      'exporters.kafka.producer.required_acks: required_acks must be 0, 1 or -1 (all in-sync replicas)',
    ]);
  });

  it('rejects an unknown option, naming it', () => {
    expect(
      problems(
        minimal('').replace(
          'grpc:',
          'grpc:\n        endpoint: 127.0.0.1:4317\n        max_concurrent_streams: 5',
        ),
      ),
    ).toEqual(['receivers.otlp.protocols.grpc: unknown option max_concurrent_streams']);
  });

  it('rejects an unknown component type, listing the supported ones', () => {
    const p = problems(minimal('processors:\n  filter:\n    error_mode: ignore'));
    expect(p).toEqual([
      'processors.filter: unknown processor type "filter"; supported: batch, memory_limiter, resource',
    ]);
  });

  it('rejects a pipeline naming an undefined component', () => {
    const p = problems(minimal('').replace('exporters: [kafka]', 'exporters: [kafka, otlp/backend]'));
    expect(p).toEqual([
      'service.pipelines.traces.exporters: "otlp/backend" is not defined in exporters (defined: kafka)',
    ]);
  });

  it('rejects a bad duration with an example of a good one', () => {
    const p = problems(
      minimal('processors:\n  batch:\n    timeout: 5 seconds').replace(
        'exporters: [kafka]',
        'processors: [batch]\n      exporters: [kafka]',
      ),
    );
    expect(p).toEqual([
      'processors.batch.timeout: invalid duration "5 seconds": use e.g. "5s", "100ms", "1m30s"',
    ]);
  });

  it('refuses message_marking.after: false, which would commit before delivery', () => {
    const text = minimal('').replace(
      'receivers:\n',
      'receivers:\n  kafka:\n    message_marking:\n      after: false\n',
    );
    expect(problems(text)[0]).toMatch(
      /^receivers\.kafka\.message_marking\.after: otlp-kafka always marks messages after delivery/,
    );
  });

  it('reports an unset environment variable without a default', () => {
    const r = parseConfig(
      [{ name: 'x', text: minimal('').replace('[127.0.0.1:9092]', '["${env:NOPE_BROKER}"]') }],
      registry,
      {},
    );
    expect(r.isErr() && r.error.message).toBe(
      'exporters.kafka.brokers.0: environment variable NOPE_BROKER is not set and has no default (write ${env:NOPE_BROKER:-value})',
    );
  });

  it('merges several config files, later wins and lists are replaced', () => {
    const r = parseConfig(
      [
        { name: 'a', text: minimal('') },
        {
          name: 'b',
          text: 'exporters:\n  kafka:\n    brokers: [10.0.0.1:9092, 10.0.0.2:9092]\n    topic: mine\n',
        },
      ],
      registry,
      {},
    );
    expect(r.unwrap().exporters.get('kafka')!.config).toEqual({
      brokers: ['10.0.0.1:9092', '10.0.0.2:9092'],
      topic: 'mine',
    });
  });

  it('reports YAML syntax errors with the file name', () => {
    const r = parseConfig([{ name: 'broken.yaml', text: 'receivers:\n  otlp: [\n' }], registry, {});
    expect(r.isErr() && r.error.code).toBe('ERR_CONFIG_YAML');
    expect(r.isErr() && r.error.message).toMatch(/^broken\.yaml: /);
  });
});

describe('batch: group-commit keys', () => {
  it('maps max_concurrent_sends and linger (a duration) and refuses bad values by path', async () => {
    // The batch mapping lives with the batcher now (its factory's config -> options).
    const { toOptions: mapBatch } = await import('../../batcher/src/internal/config-schema.js');
    const r = parseConfig(
      [
        {
          name: 't.yaml',
          text: minimal('processors:\n  batch:\n    max_concurrent_sends: 2\n    linger: 3ms\n'),
        },
      ],
      registry,
      env,
    );
    const c = r.unwrap();
    const config = c.processors.get('batch')!.config as Parameters<typeof mapBatch>[0];
    expect(config).toEqual({ max_concurrent_sends: 2, linger: 3 });
    expect(mapBatch(config)).toEqual({ maxConcurrentSends: 2, lingerMs: 3 });
    expect(problems(minimal('processors:\n  batch:\n    max_concurrent_sends: 0\n')).join('\n')).toMatch(
      /processors\.batch\.max_concurrent_sends/,
    );
  });
});
