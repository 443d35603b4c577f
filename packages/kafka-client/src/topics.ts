import type { Signal } from '@otlp-kafka/core';

/**
 * The topic of each signal when a Kafka component's config names none: the
 * OpenTelemetry Collector's kafka exporter and receiver defaults, so a mixed
 * fleet of Go and TypeScript collectors meets on the same topics.
 */
export const DEFAULT_TOPICS: Readonly<Record<Signal, string>> = Object.freeze({
  traces: 'otlp_spans',
  metrics: 'otlp_metrics',
  logs: 'otlp_logs',
});

/** The topic names of the seed deployment (its kafka-topics.sh commands and agent/gateway configs). */
export const SEED_TOPICS: Readonly<Record<Signal, string>> = Object.freeze({
  traces: 'otlp-traces',
  metrics: 'otlp-metrics',
  logs: 'otlp-logs',
});

/** Payload encodings of Kafka records, as the Collector names them. */
export const KAFKA_ENCODINGS = ['otlp_proto', 'otlp_json'] as const;

export type KafkaEncoding = (typeof KAFKA_ENCODINGS)[number];
