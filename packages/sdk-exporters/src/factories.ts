import { defined, invalidOptions, parseOptions, type Signal } from '@otlp-kafka/core';
import { mergeKafkaOptions, settingsFromEnv } from './env.js';
import {
  logRecordExporterOver,
  metricExporterOver,
  spanExporterOver,
  type KafkaLogRecordExporter,
  type KafkaMetricExporter,
  type KafkaSpanExporter,
  type MetricExporterOptions,
} from './exporters.js';
import { ExportBridge, type BridgeTarget } from './internal/bridge.js';
import { borrowedTarget, kafkaTarget } from './internal/target.js';
import type { TemporalityPreference } from './internal/temporality.js';
import {
  sdkExporterSchema,
  type KafkaSdkExporterOptions,
  type PipelineSdkExporterOptions,
  type ResolvedSdkOptions,
  type SdkExporterOptions,
} from './options.js';

const COMPONENT = 'sdk-exporters';
const NAME: Record<Signal, string> = {
  traces: 'span-exporter',
  metrics: 'metric-exporter',
  logs: 'log-exporter',
};
const PREFERENCES: readonly TemporalityPreference[] = ['cumulative', 'delta', 'lowmemory'];

type Env = Readonly<Record<string, string | undefined>>;

/** Spans from the SDK into a consumer of ours (a pipeline's push receiver, a processor, an exporter). */
export function createSpanExporter(options: PipelineSdkExporterOptions): KafkaSpanExporter {
  return spanExporterOver(bridgeInto('traces', options));
}

/** Log records from the SDK into a consumer of ours. */
export function createLogRecordExporter(options: PipelineSdkExporterOptions): KafkaLogRecordExporter {
  return logRecordExporterOver(bridgeInto('logs', options));
}

/** Metrics from the SDK into a consumer of ours. */
export function createMetricExporter(
  options: PipelineSdkExporterOptions & MetricExporterOptions,
): KafkaMetricExporter {
  return metricOver(bridgeInto('metrics', options), options, process.env);
}

/** Spans to Kafka, acknowledged (acks=all by default), with its own producer. */
export function createKafkaSpanExporter(options: KafkaSdkExporterOptions = {}): KafkaSpanExporter {
  return spanExporterOver(kafkaBridges(['traces'], options, process.env).traces!);
}

/** Log records to Kafka, acknowledged, with its own producer. */
export function createKafkaLogRecordExporter(options: KafkaSdkExporterOptions = {}): KafkaLogRecordExporter {
  return logRecordExporterOver(kafkaBridges(['logs'], options, process.env).logs!);
}

/** Metrics to Kafka, acknowledged, with its own producer. */
export function createKafkaMetricExporter(
  options: KafkaSdkExporterOptions & MetricExporterOptions = {},
): KafkaMetricExporter {
  return metricOver(kafkaBridges(['metrics'], options, process.env).metrics!, options, process.env);
}

export interface KafkaSdkExporters {
  readonly spanExporter: KafkaSpanExporter;
  readonly logRecordExporter: KafkaLogRecordExporter;
  readonly metricExporter: KafkaMetricExporter;
}

/**
 * The three exporters sharing one Kafka producer (one connection for the
 * service); it is shut down when the last of them is.
 */
export function createKafkaSdkExporters(
  options: KafkaSdkExporterOptions & MetricExporterOptions = {},
): KafkaSdkExporters {
  const b = kafkaBridges(['traces', 'logs', 'metrics'], options, process.env);
  return {
    spanExporter: spanExporterOver(b.traces!),
    logRecordExporter: logRecordExporterOver(b.logs!),
    metricExporter: metricOver(b.metrics!, options, process.env),
  };
}

function bridgeInto(signal: Signal, options: PipelineSdkExporterOptions): ExportBridge {
  const { consumer, ...rest } = options ?? ({} as PipelineSdkExporterOptions);
  if (typeof consumer?.consume !== 'function')
    throw invalidOptions(
      COMPONENT,
      'consumer is required: an object with consume(batch), e.g. a push receiver',
    );
  return new ExportBridge(NAME[signal], signal, borrowedTarget(consumer), resolve(rest));
}

function kafkaBridges(
  signals: readonly Signal[],
  options: KafkaSdkExporterOptions,
  env: Env,
): Partial<Record<Signal, ExportBridge>> {
  const { kafka, ...rest } = options;
  const fromEnv = settingsFromEnv(signals, env);
  const telemetry = defined({ logger: rest.logger, meterProvider: rest.meterProvider });
  const target: BridgeTarget = kafkaTarget(
    { name: 'sdk', ...telemetry, ...mergeKafkaOptions(fromEnv.kafka, kafka) },
    signals.length,
  );
  const bridges: Partial<Record<Signal, ExportBridge>> = {};
  for (const s of signals) {
    const timeoutMs = rest.timeoutMs ?? fromEnv.timeoutMs?.[s];
    bridges[s] = new ExportBridge(NAME[s], s, target, resolve({ ...rest, ...defined({ timeoutMs }) }));
  }
  return bridges;
}

function metricOver(bridge: ExportBridge, options: MetricExporterOptions, env: Env): KafkaMetricExporter {
  const fromEnv = env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE?.trim().toLowerCase();
  const preference = options.temporalityPreference ?? (fromEnv || 'cumulative');
  if (!PREFERENCES.includes(preference as TemporalityPreference))
    throw invalidOptions(
      COMPONENT,
      options.temporalityPreference !== undefined
        ? `temporalityPreference "${preference}" must be one of ${PREFERENCES.join(', ')}`
        : `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE="${preference}" must be one of ${PREFERENCES.join(', ')}`,
    );
  return metricExporterOver(bridge, preference as TemporalityPreference, options.aggregationSelector);
}

function resolve(options: SdkExporterOptions): ResolvedSdkOptions {
  // The metric exporter's own options are not the bridge's.
  const own: Record<string, unknown> = { ...options };
  delete own.temporalityPreference;
  delete own.aggregationSelector;
  return parseOptions(COMPONENT, sdkExporterSchema.strict(), own) as ResolvedSdkOptions;
}
