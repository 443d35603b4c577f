import { createBatcher } from '@otlp-kafka/batcher';
import { defineFactory, type AnyComponentFactory } from '@otlp-kafka/core';
import { mapBatch } from './map.js';
import * as schemas from './schemas.js';

// Transitional adapters: factories over the schemas and mappers still kept here,
// until each component package exports its own factory.

const batch = defineFactory({
  kind: 'processor',
  type: 'batch',
  configSchema: schemas.batchSchema,
  create: (c, ctx) => createBatcher({ ...mapBatch(c), logger: ctx.logger, meterProvider: ctx.meterProvider }),
});

export const BUILTIN_FACTORIES: readonly AnyComponentFactory[] = [batch];
