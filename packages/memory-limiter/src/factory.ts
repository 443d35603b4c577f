import { defineFactory } from '@otlp-kafka/core';
import { configSchema, toOptions } from './internal/config-schema.js';
import { createMemoryLimiter } from './memory-limiter.js';

/**
 * The `memory_limiter` processor. One limiter per config entry: every
 * pipeline naming it shares its reading and in-flight budget.
 */
export const memoryLimiterFactory = defineFactory({
  kind: 'processor',
  type: 'memory_limiter',
  configSchema,
  create: (config, context) =>
    createMemoryLimiter({
      ...toOptions(config),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});
