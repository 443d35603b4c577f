import { defineFactory } from '@otlp-kafka/core';
import { createKafkaExporter } from './exporter.js';
import { configSchema, toOptions } from './internal/config-schema.js';

/** The `kafka` exporter: one producer for every pipeline that names it, a topic per signal. */
export const kafkaExporterFactory = defineFactory({
  kind: 'exporter',
  type: 'kafka',
  configSchema,
  create: (config, context) =>
    createKafkaExporter({
      ...toOptions(config, context.signals),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});
