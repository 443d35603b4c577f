import { createBatcher } from '@otlp-kafka/batcher';
import { defineFactory, type AnyComponentFactory } from '@otlp-kafka/core';
import { createKafkaReceiver } from '@otlp-kafka/kafka-consumer-receiver';
import { DEFAULT_KAFKA_TOPICS } from '../topics.js';
import {
  mapBatch,
  mapKafkaReceiver,
} from './map.js';
import * as schemas from './schemas.js';

// Transitional adapters: factories over the schemas and mappers still kept here,
// until each component package exports its own factory.

const kafkaReceiver = defineFactory({
  kind: 'receiver',
  type: 'kafka',
  configSchema: schemas.kafkaReceiverSchema,
  create: (c, ctx) => {
    const mapped = mapKafkaReceiver(c);
    if (ctx.signals.length > 1 && mapped.topics)
      throw new Error(
        `one topic list cannot feed ${ctx.signals.join(' and ')} pipelines: define one kafka/<name> receiver per signal`,
      );
    const bySignal = Object.fromEntries(ctx.signals.map((s) => [s, { topics: mapped.topics ?? [DEFAULT_KAFKA_TOPICS[s]] }]));
    return createKafkaReceiver({ ...mapped, topics: undefined, ...bySignal, logger: ctx.logger, meterProvider: ctx.meterProvider });
  },
});

const batch = defineFactory({
  kind: 'processor',
  type: 'batch',
  configSchema: schemas.batchSchema,
  create: (c, ctx) => createBatcher({ ...mapBatch(c), logger: ctx.logger, meterProvider: ctx.meterProvider }),
});


export const BUILTIN_FACTORIES: readonly AnyComponentFactory[] = [
  kafkaReceiver,
  batch,
];
