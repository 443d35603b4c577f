import { defineFactory } from '@otlp-kafka/core';
import { createFilterProcessor } from './filter-processor.js';
import { configSchema, toOptions } from './internal/config-schema.js';

/** The `filter` processor: one instance per pipeline naming it. */
export const filterProcessorFactory = defineFactory({
  kind: 'processor',
  type: 'filter',
  configSchema,
  create: (config, context) =>
    createFilterProcessor({
      ...toOptions(config),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});
