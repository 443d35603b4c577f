import { defineFactory } from '@otlp-kafka/core';
import { createSpooledExporter, spoolOptionsFromStorage } from '@otlp-kafka/spool';
import { createKafkaExporter } from './exporter.js';
import { configSchema, toOptions } from './internal/config-schema.js';

/**
 * The `kafka` exporter: one producer for every pipeline that names it, a topic
 * per signal; behind a disk spool when `sending_queue.storage` names a
 * file_storage extension.
 */
export const kafkaExporterFactory = defineFactory({
  kind: 'exporter',
  type: 'kafka',
  configSchema,
  create: (config, context) => {
    const exporter = createKafkaExporter({
      ...toOptions(config, context.signals),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    });
    const q = config.sending_queue;
    if (!q || q.enabled === false || q.storage === undefined) return exporter;
    const size = q.queue_size;
    const sizer = q.sizer ?? 'requests';
    return createSpooledExporter(exporter, {
      ...spoolOptionsFromStorage(q.storage, context),
      ...(size === undefined
        ? {}
        : sizer === 'bytes'
          ? { maxBytes: size }
          : sizer === 'items'
            ? { maxItems: size }
            : { maxRecords: size }),
      ...(q.num_consumers === undefined ? {} : { maxInFlight: q.num_consumers }),
      logger: context.logger,
      meterProvider: context.meterProvider,
    });
  },
});
