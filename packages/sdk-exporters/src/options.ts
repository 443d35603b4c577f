import type { BackoffPolicy, Consumer, DefaultsOf, Logger, TelemetryOptions } from '@otlp-kafka/core';
import type { KafkaExporterOptions } from '@otlp-kafka/kafka-producer-exporter';
import { z } from 'zod';

/** Retrying inside one export (the SDK's processors drop a batch answered FAILED, so retrying belongs here). */
export interface SdkRetryOptions {
  /** First wait after a retryable refusal. Default 250. */
  initialIntervalMs?: number;
  /** Longest wait between attempts (a Retry-After hint may ask for more). Default 2000. */
  maxIntervalMs?: number;
  /** Growth of the wait per attempt. Default 2. */
  multiplier?: number;
  /** Jitter: each wait is drawn from interval * [1 - f, 1 + f]. Default 0.2. */
  randomizationFactor?: number;
}

/** What every exporter of this package takes, wherever it writes. */
export interface SdkExporterOptions extends TelemetryOptions {
  /**
   * The budget of one export: attempts and waits between them end by then, and
   * the export is answered FAILED with the last reason. Keep it below the SDK
   * processor's own export timeout (30 s by default). Env: OTEL_EXPORTER_KAFKA_{TRACES,METRICS,LOGS}_TIMEOUT,
   * OTEL_EXPORTER_KAFKA_TIMEOUT (ms). Default 10000.
   */
  timeoutMs?: number;
  /**
   * Bound on the bytes of exports not answered yet (including those that timed
   * out but whose records Kafka may still acknowledge). An export that would
   * pass it is answered FAILED at once, naming the budget. Default 33554432 (32 MiB).
   */
  maxPendingBytes?: number;
  retry?: SdkRetryOptions;
}

/** An exporter that writes into a consumer of ours: a pipeline's push receiver, a processor, an exporter. */
export interface PipelineSdkExporterOptions extends SdkExporterOptions {
  /** Where batches go. Its lifecycle is the caller's: the SDK exporter never starts or shuts it down. */
  consumer: Consumer;
}

/** An exporter that owns a Kafka producer exporter (started in the background at construction). */
export interface KafkaSdkExporterOptions extends SdkExporterOptions {
  /**
   * The Kafka producer exporter's options (@otlp-kafka/kafka-producer-exporter:
   * brokers, topics, producer settings, TLS, SASL). Unset fields come from the
   * environment (see README) and then from that package's defaults, except
   * `partitionTracesById`, default true here (a trace stays on one partition).
   */
  kafka?: KafkaExporterOptions;
}

export const SDK_EXPORTER_DEFAULTS = {
  timeoutMs: 10_000,
  maxPendingBytes: 32 * 1024 * 1024,
  retry: { initialIntervalMs: 250, maxIntervalMs: 2000, multiplier: 2, randomizationFactor: 0.2 },
} as const satisfies DefaultsOf<Omit<SdkExporterOptions, keyof TelemetryOptions>>;

const positiveInt = z.number().int().positive();

export const sdkExporterSchema = z.object({
  timeoutMs: positiveInt.max(2_147_483_647).default(SDK_EXPORTER_DEFAULTS.timeoutMs),
  maxPendingBytes: positiveInt.default(SDK_EXPORTER_DEFAULTS.maxPendingBytes),
  retry: z
    .strictObject({
      initialIntervalMs: positiveInt.default(SDK_EXPORTER_DEFAULTS.retry.initialIntervalMs),
      maxIntervalMs: positiveInt.default(SDK_EXPORTER_DEFAULTS.retry.maxIntervalMs),
      multiplier: z.number().min(1).default(SDK_EXPORTER_DEFAULTS.retry.multiplier),
      randomizationFactor: z.number().min(0).max(1).default(SDK_EXPORTER_DEFAULTS.retry.randomizationFactor),
    })
    .default(SDK_EXPORTER_DEFAULTS.retry),
  meterProvider: z.any().optional(),
  logger: z.any().optional(),
});

export interface ResolvedSdkOptions {
  readonly timeoutMs: number;
  readonly maxPendingBytes: number;
  readonly retry: BackoffPolicy;
  readonly logger?: Logger;
  readonly meterProvider?: TelemetryOptions['meterProvider'];
}
