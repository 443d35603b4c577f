import type { z } from 'zod';
import {
  batchSchema,
  kafkaExporterSchema,
  kafkaReceiverSchema,
  memoryLimiterSchema,
  otlpExporterSchema,
  otlpHttpExporterSchema,
  otlpReceiverSchema,
  resourceSchema,
} from './components/schemas.js';

export type ComponentKind = 'receiver' | 'processor' | 'exporter';

/** The component types a config may name, by kind, with their option schemas. */
export const COMPONENT_SCHEMAS: Record<ComponentKind, Record<string, z.ZodType>> = {
  receiver: { otlp: otlpReceiverSchema, kafka: kafkaReceiverSchema },
  processor: { batch: batchSchema, memory_limiter: memoryLimiterSchema, resource: resourceSchema },
  exporter: { kafka: kafkaExporterSchema, otlp: otlpExporterSchema, otlphttp: otlpHttpExporterSchema },
};
