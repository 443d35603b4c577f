import { getLogger, toPipelineError, type Consumer, type PipelineError } from '@otlp-kafka/core';
import { createKafkaExporter, type KafkaExporterOptions } from '@otlp-kafka/kafka-producer-exporter';
import type { BridgeTarget } from './bridge.js';

/** A consumer the caller owns: never started or shut down here. */
export function borrowedTarget(consumer: Consumer): BridgeTarget {
  return { consumer, failure: () => undefined, release: () => Promise.resolve() };
}

/**
 * A Kafka producer exporter shared by `users` SDK exporters: started in the
 * background at once (construction never waits for Kafka; until it is
 * connected, exports are refused as retryable and retried), shut down when the
 * last user released it.
 */
export function kafkaTarget(options: KafkaExporterOptions, users: number): BridgeTarget {
  const exporter = createKafkaExporter(options);
  const logger = getLogger(options, 'sdk-exporters');
  let failure: PipelineError | undefined;
  let left = users;
  let stopped: Promise<void> | undefined;
  exporter.start().catch((e: unknown) => {
    // Only a configuration librdkafka refuses ends here: Kafka being away is retried inside.
    failure = toPipelineError(e);
    logger.error({ err: failure }, 'the Kafka exporter could not start; every export will fail');
  });
  return {
    consumer: exporter,
    failure: () => failure,
    release() {
      left -= 1;
      if (left > 0) return Promise.resolve();
      stopped ??= exporter.shutdown();
      return stopped;
    },
  };
}
