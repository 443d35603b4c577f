import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/parse.js';
import { kafkaTopicsOf } from '../src/topics.js';
import { registry } from './registry.js';

// The seed's kafka key names and the Collector v0.165 ones, side by side.

const agent = (exporter: string) => `
receivers:
  otlp: { protocols: { grpc: } }
exporters:
  kafka:
${exporter}
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [kafka] }
    logs: { receivers: [otlp], exporters: [kafka] }
`;

const gateway = (receiver: string) => `
receivers:
  kafka:
${receiver}
exporters:
  otlp_grpc: { endpoint: 127.0.0.1:4317 }
service:
  pipelines:
    traces: { receivers: [kafka], exporters: [otlp_grpc] }
`;

const parse = (text: string) => parseConfig([{ name: 't.yaml', text }], registry, {});

describe('kafka keys: the seed and the Collector v0.165', () => {
  it('exporter: per-signal traces/logs {topic} as well as the flat topic', () => {
    const collector = parse(
      agent('    traces: { topic: spans-in, encoding: otlp_proto }\n    logs: { topic: logs-in }'),
    ).unwrap();
    expect(kafkaTopicsOf(collector).map((t) => [t.topic, t.signal])).toEqual([
      ['spans-in', 'traces'],
      ['logs-in', 'logs'],
    ]);
    const seed = parse(agent('    topic: everything')).unwrap();
    expect(kafkaTopicsOf(seed).map((t) => [t.topic, t.signal])).toEqual([['everything', 'traces']]);
  });

  it('receiver: traces {topics} and autocommit as well as topic and auto_commit', () => {
    const collector = parse(
      gateway('    traces: { topics: [a, b] }\n    autocommit: { enable: true, interval: 2s }'),
    ).unwrap();
    expect(collector.receivers.get('kafka')!.config).toMatchObject({
      autocommit: { enable: true, interval: 2000 },
    });
    expect(kafkaTopicsOf(collector).map((t) => t.topic)).toEqual(['a', 'b']);
    const seed = parse(gateway('    topic: a\n    auto_commit: { enable: true, interval: 2s }')).unwrap();
    expect(kafkaTopicsOf(seed).map((t) => t.topic)).toEqual(['a']);
  });

  it('names the path when both spellings are given', () => {
    const r = parse(gateway('    autocommit: { enable: true }\n    auto_commit: { enable: true }'));
    expect(r.isErr() && r.error.problems).toEqual([
      "receivers.kafka.auto_commit: give autocommit (the Collector's name) or auto_commit, not both",
    ]);
    const e = parse(agent('    topic: x\n    traces: { topic: y }'));
    expect(e.isErr() && e.error.problems).toEqual([
      'exporters.kafka.topic: topic and per-signal topics (traces) are exclusive',
    ]);
  });

  it('otlp exporters under their Collector v0.144+ names and the older ones', () => {
    for (const type of ['otlp', 'otlp_grpc', 'otlp_http', 'otlphttp']) {
      const text = gateway('    topic: a')
        .replaceAll('otlp_grpc', type)
        .replace('127.0.0.1:4317', type.includes('http') ? 'http://127.0.0.1:4318' : '127.0.0.1:4317');
      expect(parse(text).isOk()).toBe(true);
    }
  });
});
