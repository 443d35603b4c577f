import { defineFactory } from '@otlp-kafka/core';
import { configSchema, toOptions, topicsOf } from './internal/config-schema.js';
import { DEFAULT_SIGNAL_TOPICS } from './options.js';
import { createKafkaReceiver } from './receiver.js';

/**
 * The `kafka` receiver: one consumer group member feeding the pipelines that
 * name it, each signal from its own topics (per-signal sections, or a flat
 * topic list when it feeds one signal; else the Collector's default topics).
 */
export const kafkaReceiverFactory = defineFactory({
  kind: 'receiver',
  type: 'kafka',
  configSchema,
  create: (config, context) => {
    const flat = config.topics ?? config.topic;
    if (flat !== undefined && context.signals.length > 1)
      throw new Error(
        `one topic list cannot feed ${context.signals.join(' and ')} pipelines: define one kafka/<name> receiver per signal`,
      );
    // Only the signals of the pipelines using it: a section for a signal no pipeline takes would be read and refused forever.
    const sections = Object.fromEntries(
      context.signals.map((s) => {
        const encoding = config[s]?.encoding;
        return [
          s,
          { topics: topicsOf(config, s) ?? [DEFAULT_SIGNAL_TOPICS[s]], ...(encoding ? { encoding } : {}) },
        ];
      }),
    );
    return createKafkaReceiver({
      ...toOptions(config),
      ...sections,
      logger: context.logger,
      meterProvider: context.meterProvider,
    });
  },
});
