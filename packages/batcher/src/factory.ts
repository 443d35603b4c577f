import { defineFactory } from '@otlp-kafka/core';
import { createBatcher } from './batcher.js';
import { configSchema, toOptions } from './internal/config-schema.js';

/** The `batch` processor: one batcher per pipeline naming it. */
export const batcherFactory = defineFactory({
  kind: 'processor',
  type: 'batch',
  configSchema,
  create: (config, context) =>
    createBatcher({
      ...toOptions(config),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});
