import { attributesProcessorFactory } from '@otlp-kafka/attributes-processor';
import { basicAuthExtensionFactory, bearerTokenAuthExtensionFactory } from '@otlp-kafka/auth-extensions';
import { batcherFactory } from '@otlp-kafka/batcher';
import { createRegistry, type Registry } from '@otlp-kafka/config';
import type { AnyComponentFactory } from '@otlp-kafka/core';
import { filterProcessorFactory } from '@otlp-kafka/filter-processor';
import { kafkaReceiverFactory } from '@otlp-kafka/kafka-consumer-receiver';
import { kafkaExporterFactory } from '@otlp-kafka/kafka-producer-exporter';
import { memoryLimiterFactory } from '@otlp-kafka/memory-limiter';
import { otlpGrpcExporterFactory, otlpHttpExporterFactory } from '@otlp-kafka/otlp-exporter';
import { otlpReceiverFactory } from '@otlp-kafka/otlp-receiver';
import { resourceProcessorFactory } from '@otlp-kafka/resource-processor';
import { fileStorageExtensionFactory } from '@otlp-kafka/spool';

/** The component factories the otlp-kafka command knows: the one place that lists the component packages. */
export const DEFAULT_FACTORIES: readonly AnyComponentFactory[] = [
  otlpReceiverFactory,
  kafkaReceiverFactory,
  batcherFactory,
  memoryLimiterFactory,
  resourceProcessorFactory,
  filterProcessorFactory,
  attributesProcessorFactory,
  kafkaExporterFactory,
  otlpGrpcExporterFactory,
  otlpHttpExporterFactory,
  fileStorageExtensionFactory,
  bearerTokenAuthExtensionFactory,
  basicAuthExtensionFactory,
];

/** A registry of the built-in components; register your own factories on it and pass it to `main`. */
export function defaultRegistry(): Registry {
  return createRegistry(DEFAULT_FACTORIES);
}
