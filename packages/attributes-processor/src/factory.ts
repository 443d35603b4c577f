import { defineFactory } from '@otlp-kafka/core';
import { createAttributesProcessor } from './attributes-processor.js';
import { configSchema, toOptions } from './internal/config-schema.js';

/** The `attributes` processor: one instance per pipeline naming it. */
export const attributesProcessorFactory = defineFactory({
  kind: 'processor',
  type: 'attributes',
  configSchema,
  create: (config, context) =>
    createAttributesProcessor({
      ...toOptions(config),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});
