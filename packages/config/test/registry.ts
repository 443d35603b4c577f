import { batcherFactory } from '@otlp-kafka/batcher';
import { kafkaReceiverFactory } from '@otlp-kafka/kafka-consumer-receiver';
import { kafkaExporterFactory } from '@otlp-kafka/kafka-producer-exporter';
import { memoryLimiterFactory } from '@otlp-kafka/memory-limiter';
import { otlpGrpcExporterFactory, otlpHttpExporterFactory } from '@otlp-kafka/otlp-exporter';
import { otlpReceiverFactory } from '@otlp-kafka/otlp-receiver';
import { resourceProcessorFactory } from '@otlp-kafka/resource-processor';
import { createRegistry } from '../src/registry.js';

/**
 * The built-in component factories, as the CLI registers them (config itself
 * knows none; the CLI depends on config, so its list cannot be imported here).
 */
export const registry = createRegistry([
  otlpReceiverFactory,
  kafkaReceiverFactory,
  batcherFactory,
  memoryLimiterFactory,
  resourceProcessorFactory,
  kafkaExporterFactory,
  otlpGrpcExporterFactory,
  otlpHttpExporterFactory,
]);
