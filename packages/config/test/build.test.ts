import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildService } from '../src/build.js';
import { parseConfig } from '../src/parse.js';
import { registry } from './registry.js';
import { kafkaTopicsOf } from '../src/topics.js';

const root = new URL('../../../', import.meta.url);
const load = (p: string, env: Record<string, string> = { NODE_NAME: 'n1' }) =>
  parseConfig([{ name: p, text: readFileSync(new URL(p, root), 'utf8') }], registry, env).unwrap();

describe('buildService', () => {
  it('maps the example agent to an OTLP receiver, three processors per pipeline and three Kafka exporters', async () => {
    const built = buildService(load('examples/agent.yaml')).unwrap();
    expect(built.pipelineIds).toEqual(['traces', 'metrics', 'logs']);
    expect([...built.receivers.keys()]).toEqual(['otlp']);
    expect([...built.exporters.keys()]).toEqual(['kafka/traces', 'kafka/metrics', 'kafka/logs']);
    expect(built.receivers.get('otlp')!.signals).toEqual(['traces', 'metrics', 'logs']);
    await built.pipeline.shutdown();
  });

  it('maps the example gateway to three Kafka receivers and three OTLP/gRPC exporters', async () => {
    const built = buildService(load('examples/gateway.yaml')).unwrap();
    expect([...built.receivers.keys()]).toEqual(['kafka/traces', 'kafka/metrics', 'kafka/logs']);
    expect([...built.exporters.keys()]).toEqual(['otlp/traces', 'otlp/metrics', 'otlp/logs']);
    await built.pipeline.shutdown();
  });

  it('reports component option errors under the component id', () => {
    const text = `
receivers:
  otlp:
    protocols:
      http:
processors:
  memory_limiter:
    check_interval: 1s
exporters:
  kafka:
    brokers: [127.0.0.1:9092]
service:
  pipelines:
    logs:
      receivers: [otlp]
      processors: [memory_limiter]
      exporters: [kafka]
`;
    const r = buildService(parseConfig([{ name: 'x', text }], registry, {}).unwrap());
    expect(r.isErr()).toBe(true);
    expect(r.isErr() && r.error.problems[0]).toMatch(/^processors\.memory_limiter: .*limitMib/);
  });

  it('refuses one kafka receiver with one topic feeding two signals', () => {
    const text = `
receivers:
  kafka:
    topic: mixed
exporters:
  otlp:
    endpoint: 127.0.0.1:4317
service:
  pipelines:
    traces: { receivers: [kafka], exporters: [otlp] }
    logs: { receivers: [kafka], exporters: [otlp] }
`;
    const r = buildService(parseConfig([{ name: 'x', text }], registry, {}).unwrap());
    expect(r.isErr() && r.error.problems).toEqual([
      'receivers.kafka: one topic list cannot feed traces and logs pipelines: define one kafka/<name> receiver per signal',
    ]);
  });

  it('lists the topics of the seed configs with their signals', () => {
    const agent = kafkaTopicsOf(load('examples/agent.yaml'));
    expect(agent.map((t) => [t.topic, t.signal, t.role, t.maxMessageBytes])).toEqual([
      ['otlp-traces', 'traces', 'exporter', 10000000],
      ['otlp-metrics', 'metrics', 'exporter', 10000000],
      ['otlp-logs', 'logs', 'exporter', 10000000],
    ]);
    const gateway = kafkaTopicsOf(load('examples/gateway.yaml'));
    expect(gateway.map((t) => [t.topic, t.role])).toEqual([
      ['otlp-traces', 'receiver'],
      ['otlp-metrics', 'receiver'],
      ['otlp-logs', 'receiver'],
    ]);
  });
});
