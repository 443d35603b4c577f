// The seed's agent pipeline (examples/agent.yaml, traces only) as YAML for both subjects of the
// latency mode: memory_limiter -> resource -> batch (1024 / max 2048 / 5 s) -> kafka (acks -1,
// snappy). The only differences are the ones the two config dialects force: the Go Collector
// v0.165 kafka exporter takes the topic and encoding per signal (`traces: {topic, encoding}`),
// ours keeps the seed's top-level `topic` / `encoding`; and the metrics endpoint key.
import type { OursVariant } from './config.js';
import { telemetry, type Yaml } from './collector.js';

/** Topics get the seed exporter's max_message_bytes, as `otlp-kafka topics` would create them. */
export const SEED_MAX_MESSAGE_BYTES = 10_000_000;

const processors = (batch: Record<string, unknown> = {}): Yaml => ({
  memory_limiter: { check_interval: '1s', limit_mib: 512, spike_limit_mib: 128 },
  resource: {
    attributes: [
      { key: 'collector.tier', value: 'agent', action: 'upsert' },
      { key: 'collector.node', value: 'bench', action: 'upsert' },
    ],
  },
  batch: {
    send_batch_size: 1024,
    send_batch_max_size: 2048,
    timeout: '5s',
    ...(batch as Record<string, Yaml>),
  },
});

const producer = (extra: Record<string, unknown> = {}): Yaml => ({
  compression: 'snappy',
  max_message_bytes: SEED_MAX_MESSAGE_BYTES,
  flush_max_messages: 500,
  required_acks: -1,
  ...(extra as Record<string, Yaml>),
});

const pipelines: Yaml = {
  traces: {
    receivers: ['otlp'],
    processors: ['memory_limiter', 'resource', 'batch'],
    exporters: ['kafka/traces'],
  },
};

const otlp = (httpPort: number): Yaml => ({
  otlp: { protocols: { http: { endpoint: `127.0.0.1:${httpPort}` } } },
});

export function seedAgentGo(brokers: string, topic: string, httpPort: number, metricsPort: number): Yaml {
  return {
    receivers: otlp(httpPort),
    processors: processors(),
    exporters: {
      'kafka/traces': {
        brokers: brokers.split(','),
        traces: { topic, encoding: 'otlp_proto' },
        producer: producer(),
      },
    },
    service: { telemetry: telemetry(metricsPort), pipelines },
  };
}

export function seedAgentOurs(
  variant: OursVariant,
  brokers: string,
  topic: string,
  httpPort: number,
  metricsPort: number,
): Yaml {
  return {
    receivers: otlp(httpPort),
    processors: processors(variant.batch),
    exporters: {
      'kafka/traces': { brokers, topic, encoding: 'otlp_proto', producer: producer(variant.producer) },
    },
    service: {
      telemetry: { logs: { level: 'warn' }, metrics: { address: `127.0.0.1:${metricsPort}` } },
      pipelines,
    },
  };
}
