import { kafkaReceiverFactory } from '@otlp-kafka/kafka-consumer-receiver';
import { kafkaExporterFactory } from '@otlp-kafka/kafka-producer-exporter';
import { memoryLimiterFactory } from '@otlp-kafka/memory-limiter';
import { otlpGrpcExporterFactory, otlpHttpExporterFactory } from '@otlp-kafka/otlp-exporter';
import { otlpReceiverFactory } from '@otlp-kafka/otlp-receiver';
import { resourceProcessorFactory } from '@otlp-kafka/resource-processor';
import { BUILTIN_FACTORIES } from '../src/components/factories.js';
import { createRegistry } from '../src/registry.js';

/** The built-in component factories, as the CLI registers them (config itself knows none). */
export const registry = createRegistry([...BUILTIN_FACTORIES, memoryLimiterFactory, resourceProcessorFactory, otlpReceiverFactory, kafkaReceiverFactory, otlpGrpcExporterFactory, otlpHttpExporterFactory, kafkaExporterFactory]);
