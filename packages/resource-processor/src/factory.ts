import { defineFactory } from '@otlp-kafka/core';
import { configSchema, toOptions } from './internal/config-schema.js';
import { createResourceProcessor } from './resource-processor.js';

/** The `resource` processor: one instance per pipeline naming it. */
export const resourceProcessorFactory = defineFactory({
  kind: 'processor',
  type: 'resource',
  configSchema,
  create: (config, context) =>
    createResourceProcessor({
      ...toOptions(config),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});
