// The Go Collector's YAML for each comparison, mirroring our components' defaults.
import type { Config } from './config.js';
import { telemetry, type Yaml } from './collector.js';

export type GoVariant = 'batch' | 'queue';

/** Producer settings equal to our kafka-producer-exporter's defaults (acks=all, no compression, linger 5 ms). */
function kafkaExporter(cfg: Config, topic: string, variant: GoVariant): Yaml {
  const base = {
    brokers: cfg.brokers.split(','),
    client_id: 'otelcol-bench',
    traces: { topic, encoding: 'otlp_proto' },
    producer: {
      required_acks: -1,
      compression: 'none',
      linger: '5ms',
      flush_max_messages: 10000,
      // The Go exporter does not split a batch across records: one 8192-span batch is one ~1.3 MB
      // record, over the 1 MB default. Ours splits to <= 1 MB records instead.
      max_message_bytes: cfg.topicMaxMessageBytes,
    },
  };
  if (variant === 'batch') return base; // default sending_queue: asynchronous, 10 consumers
  return {
    ...base,
    // Batching in the exporter, each caller waiting for its batch to be in Kafka: the Collector's
    // way to get our acknowledgement contract (no 200 before Kafka acknowledged).
    sending_queue: {
      enabled: true,
      wait_for_result: true,
      block_on_overflow: true,
      sizer: 'items',
      queue_size: 1048576,
      batch: { flush_timeout: `${cfg.batchTimeoutMs}ms`, min_size: cfg.sendBatchSize, sizer: 'items' },
    },
  };
}

/** Our batcher's defaults: 8192 spans or 200 ms, no upper bound on a batch. */
const batchProcessor = (cfg: Config): Yaml => ({
  send_batch_size: cfg.sendBatchSize,
  send_batch_max_size: 0,
  timeout: `${cfg.batchTimeoutMs}ms`,
});

/** OTLP/HTTP in -> (batch) -> Kafka. */
export function agentConfig(
  cfg: Config,
  variant: GoVariant,
  topic: string,
  httpPort: number,
  metricsPort: number,
): Yaml {
  return {
    receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${httpPort}` } } } },
    ...(variant === 'batch' ? { processors: { batch: batchProcessor(cfg) } } : {}),
    exporters: { kafka: kafkaExporter(cfg, topic, variant) },
    service: {
      telemetry: telemetry(metricsPort),
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: variant === 'batch' ? ['batch'] : [],
          exporters: ['kafka'],
        },
      },
    },
  };
}

/** Kafka -> batch -> OTLP/HTTP protobuf, uncompressed (as bench/gateway runs ours). */
export function gatewayConfig(
  cfg: Config,
  topic: string,
  groupId: string,
  sinkUrl: string,
  metricsPort: number,
): Yaml {
  return {
    receivers: {
      kafka: {
        brokers: cfg.brokers.split(','),
        client_id: 'otelcol-bench',
        group_id: groupId,
        initial_offset: 'earliest',
        traces: { topics: [topic], encoding: 'otlp_proto' },
      },
    },
    processors: { batch: batchProcessor(cfg) },
    exporters: {
      otlp_http: { traces_endpoint: `${sinkUrl}/v1/traces`, compression: 'none', encoding: 'proto' },
    },
    service: {
      telemetry: telemetry(metricsPort),
      pipelines: { traces: { receivers: ['kafka'], processors: ['batch'], exporters: ['otlp_http'] } },
    },
  };
}

/**
 * sdk-read-check.ts: Kafka (the three signals' topics written by @otlp-kafka/sdk-exporters,
 * `otlp_proto`, fresh group, earliest) -> OTLP/HTTP protobuf, uncompressed, to a local backend.
 * No processor: what the receiver decoded is what the backend gets. `blockOnOverflow` (default
 * true) makes the exporter's sending queue push back instead of refusing: at the Collector's
 * defaults (1000 requests, refuse when full) a burst of small records (ours are one trace each)
 * fills it, and the receiver (message_marking defaults) logs and skips those records.
 */
export function sdkReadCheckConfig(o: {
  brokers: string;
  topics: Readonly<Record<'traces' | 'logs' | 'metrics', string>>;
  groupId: string;
  backendUrl: string;
  metricsPort: number;
  blockOnOverflow?: boolean;
}): Yaml {
  const pipeline = { receivers: ['kafka'], exporters: ['otlp_http'] };
  return {
    receivers: {
      kafka: {
        brokers: o.brokers.split(','),
        client_id: 'otelcol-sdk-read-check',
        group_id: o.groupId,
        initial_offset: 'earliest',
        traces: { topics: [o.topics.traces], encoding: 'otlp_proto' },
        logs: { topics: [o.topics.logs], encoding: 'otlp_proto' },
        metrics: { topics: [o.topics.metrics], encoding: 'otlp_proto' },
      },
    },
    exporters: {
      otlp_http: {
        endpoint: o.backendUrl,
        compression: 'none',
        encoding: 'proto',
        ...(o.blockOnOverflow === false ? {} : { sending_queue: { block_on_overflow: true } }),
      },
    },
    service: {
      telemetry: telemetry(o.metricsPort),
      pipelines: { traces: pipeline, logs: pipeline, metrics: pipeline },
    },
  };
}
