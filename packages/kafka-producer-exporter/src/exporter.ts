import type { Exporter } from '@otlp-kafka/core';
import { KafkaExporterImpl } from './internal/kafka-exporter.js';
import type { KafkaExporterOptions } from './options.js';

/** An Exporter that writes OTLP batches to Kafka and resolves ok only when Kafka acknowledged every record. */
export interface KafkaExporter extends Exporter {
  /** Whether a producer is connected to Kafka right now (librdkafka reconnects to brokers by itself once connected). */
  readonly connected: boolean;
}

/**
 * Creates the Kafka producer exporter. Throws ERR_INVALID_OPTIONS for bad
 * options or librdkafka configuration; connects in start().
 */
export function createKafkaExporter(options?: KafkaExporterOptions): KafkaExporter {
  return new KafkaExporterImpl(options);
}
