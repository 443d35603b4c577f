// Collector-style YAML for the scenarios: the seed's agent and gateway configs
// (examples/*.yaml) with per-scenario topic and group names, loopback ports, and
// shorter timers so a scenario takes a minute, not an hour. Durability settings
// stay as in the seed: acks=all, idempotent producer, commit after delivery.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Signal } from '@otlp-kafka/core';

export const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

export interface Names {
  topics: Record<Signal, string>;
  groups: Record<Signal, string>;
  /** Where the gateway writes poison records when `deadLetter` is on. */
  deadLetter: string;
}

/** Topic and group names of one scenario (kept apart from every other scenario's). */
export function namesFor(prefix: string): Names {
  return {
    topics: {
      traces: `${prefix}-otlp-traces`,
      metrics: `${prefix}-otlp-metrics`,
      logs: `${prefix}-otlp-logs`,
    },
    groups: {
      traces: `${prefix}-gateway-traces`,
      metrics: `${prefix}-gateway-metrics`,
      logs: `${prefix}-gateway-logs`,
    },
    deadLetter: `${prefix}-dead-letter`,
  };
}

export interface AgentConfig {
  httpPort: number;
  grpcPort: number;
  metricsPort: number;
  /** Agent batch timeout (seed: 5s). */
  batchTimeout?: string;
  /** How long librdkafka tries to deliver a record before the client gets a retryable answer (Collector kafka exporter `timeout`). */
  kafkaTimeout?: string;
  /** A disk spool (sending_queue.storage: file_storage) in front of each Kafka exporter, in $AGENT_SPOOL_DIR. */
  spool?: boolean;
}

export function agentYaml(names: Names, c: AgentConfig): string {
  const exporter = (s: Signal) => `  kafka/${s}:
    brokers: \${env:KAFKA_BROKERS}
    topic: ${names.topics[s]}
    encoding: otlp_proto
    timeout: ${c.kafkaTimeout ?? '10s'}${c.spool ? '\n    sending_queue:\n      storage: file_storage/spool' : ''}
    producer:
      compression: snappy
      max_message_bytes: 10000000
      required_acks: -1`;
  return `# e2e agent: the seed's agent-collector-config.yaml on loopback ports, scenario topics,
# a shorter batch timeout.
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${c.grpcPort}
      http:
        endpoint: 127.0.0.1:${c.httpPort}

processors:
  batch:
    send_batch_size: 1024
    send_batch_max_size: 2048
    timeout: ${c.batchTimeout ?? '1s'}
  resource:
    attributes:
      - key: collector.tier
        value: agent
        action: upsert
      - key: collector.node
        value: \${env:NODE_NAME}
        action: upsert
  memory_limiter:
    check_interval: 1s
    limit_mib: 512
    spike_limit_mib: 128

exporters:
${SIGNALS.map(exporter).join('\n')}

${
  c.spool
    ? `extensions:
  file_storage/spool:
    directory: \${env:AGENT_SPOOL_DIR}
    create_directory: true

`
    : ''
}service:${c.spool ? '\n  extensions: [file_storage/spool]' : ''}
  pipelines:
${SIGNALS.map(
  (s) => `    ${s}:
      receivers: [otlp]
      processors: [memory_limiter, resource, batch]
      exporters: [kafka/${s}]`,
).join('\n')}
  telemetry:
    metrics:
      address: 127.0.0.1:${c.metricsPort}
`;
}

export interface GatewayConfig {
  metricsPort: number;
  /** Gateway batch (seed: 2048 items, 10s). */
  batchSize?: number;
  batchTimeout?: string;
  /** retry_on_failure (seed: 5s initial, 60s max, 300s elapsed). */
  retryInitial?: string;
  retryMax?: string;
  /** sending_queue (seed: 10 consumers, 5000 batches). */
  numConsumers?: number;
  queueSize?: number;
  /** Per-attempt timeout of the backend export (Collector default 5s). */
  exportTimeout?: string;
  /** memory_limiter limit (seed: 2048 MiB, spike 512 MiB). */
  limitMib?: number;
  spikeLimitMib?: number;
  /** Kafka receiver budget of records dispatched and not yet acknowledged (default 1000). */
  maxInFlightMessages?: number;
  /** Kafka receivers write undecodable and permanently refused records to `names.deadLetter`. */
  deadLetter?: boolean;
  /** Kafka receiver auto_commit interval (seed: 5s). */
  commitInterval?: string;
}

export function gatewayYaml(names: Names, c: GatewayConfig): string {
  const receiver = (s: Signal) => `  kafka/${s}:
    brokers: \${env:KAFKA_BROKERS}
    topic: ${names.topics[s]}
    group_id: ${names.groups[s]}
    encoding: otlp_proto
    initial_offset: earliest
    auto_commit:
      enable: true
      interval: ${c.commitInterval ?? '5s'}${c.maxInFlightMessages ? `\n    max_in_flight_messages: ${c.maxInFlightMessages}` : ''}${c.deadLetter ? `\n    dead_letter_topic: ${names.deadLetter}` : ''}`;
  const exporter = (s: Signal) => `  otlp/${s}:
    endpoint: \${env:BACKEND_ENDPOINT}
    tls:
      insecure: true
    timeout: ${c.exportTimeout ?? '5s'}
    retry_on_failure:
      enabled: true
      initial_interval: ${c.retryInitial ?? '500ms'}
      max_interval: ${c.retryMax ?? '2s'}
      max_elapsed_time: 300s
    sending_queue:
      enabled: true
      num_consumers: ${c.numConsumers ?? 10}
      queue_size: ${c.queueSize ?? 5000}`;
  return `# e2e gateway: the seed's gateway-collector-config.yaml with scenario topics and groups,
# the local plaintext backend, shorter batch and retry timers.
receivers:
${SIGNALS.map(receiver).join('\n')}

processors:
  batch:
    send_batch_size: ${c.batchSize ?? 2048}
    timeout: ${c.batchTimeout ?? '1s'}
  memory_limiter:
    check_interval: 1s
    limit_mib: ${c.limitMib ?? 2048}
    spike_limit_mib: ${c.spikeLimitMib ?? 512}
  resource:
    attributes:
      - key: collector.tier
        value: gateway
        action: upsert

exporters:
${SIGNALS.map(exporter).join('\n')}

service:
  pipelines:
${SIGNALS.map(
  (s) => `    ${s}:
      receivers: [kafka/${s}]
      processors: [memory_limiter, resource, batch]
      exporters: [otlp/${s}]`,
).join('\n')}
  telemetry:
    metrics:
      address: 127.0.0.1:${c.metricsPort}
`;
}

export function writeYaml(dir: string, name: string, yaml: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, yaml);
  return path;
}
