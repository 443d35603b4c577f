import { invalidOptions, type Signal } from '@otlp-kafka/core';
import type { KafkaExporterOptions } from '@otlp-kafka/kafka-producer-exporter';

/** What the environment says, in the SDK's style (OTEL_EXPORTER_KAFKA_*, signal-specific names first). */
export interface EnvSettings {
  readonly kafka: KafkaExporterOptions;
  readonly timeoutMs?: Partial<Record<Signal, number>>;
}

const SIGNAL_NAME: Record<Signal, string> = { traces: 'TRACES', metrics: 'METRICS', logs: 'LOGS' };
const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const ENCODINGS = ['otlp_proto', 'otlp_json'] as const;

/**
 * Reads OTEL_EXPORTER_KAFKA_BROKERS, _CLIENT_ID, _COMPRESSION, _ENCODING,
 * _{TRACES,METRICS,LOGS}_TOPIC and _TIMEOUT / _{SIGNAL}_TIMEOUT. A malformed
 * value is an error naming the variable, never a silent default.
 */
export function settingsFromEnv(
  signals: readonly Signal[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): EnvSettings {
  const read = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const kafka: KafkaExporterOptions = {};
  const brokers = read('OTEL_EXPORTER_KAFKA_BROKERS');
  if (brokers !== undefined)
    kafka.brokers = brokers
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b !== '');
  const clientId = read('OTEL_EXPORTER_KAFKA_CLIENT_ID');
  if (clientId !== undefined) kafka.clientId = clientId;
  const compression = oneOf(
    'OTEL_EXPORTER_KAFKA_COMPRESSION',
    read('OTEL_EXPORTER_KAFKA_COMPRESSION'),
    COMPRESSIONS,
  );
  if (compression !== undefined) kafka.producer = { compression };
  const encoding = oneOf('OTEL_EXPORTER_KAFKA_ENCODING', read('OTEL_EXPORTER_KAFKA_ENCODING'), ENCODINGS);
  if (encoding !== undefined) kafka.encoding = encoding;
  const topics: Partial<Record<Signal, string>> = {};
  const timeoutMs: Partial<Record<Signal, number>> = {};
  const common = milliseconds('OTEL_EXPORTER_KAFKA_TIMEOUT', read('OTEL_EXPORTER_KAFKA_TIMEOUT'));
  for (const s of signals) {
    const topic = read(`OTEL_EXPORTER_KAFKA_${SIGNAL_NAME[s]}_TOPIC`);
    if (topic !== undefined) topics[s] = topic;
    const name = `OTEL_EXPORTER_KAFKA_${SIGNAL_NAME[s]}_TIMEOUT`;
    const t = milliseconds(name, read(name)) ?? common;
    if (t !== undefined) timeoutMs[s] = t;
  }
  if (Object.keys(topics).length > 0) kafka.topics = topics;
  return { kafka, timeoutMs };
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalidOptions('sdk-exporters', `${name}="${value}" must be one of ${allowed.join(', ')}`);
}

function milliseconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw invalidOptions(
      'sdk-exporters',
      `${name}="${value}" must be a positive whole number of milliseconds`,
    );
  return n;
}

/** Code wins over the environment, field by field (topics per signal, producer settings). */
export function mergeKafkaOptions(
  fromEnv: KafkaExporterOptions,
  fromCode: KafkaExporterOptions = {},
): KafkaExporterOptions {
  const merged: KafkaExporterOptions = { partitionTracesById: true, ...fromEnv, ...fromCode };
  if (fromEnv.topics || fromCode.topics) merged.topics = { ...fromEnv.topics, ...fromCode.topics };
  if (fromEnv.producer || fromCode.producer) merged.producer = { ...fromEnv.producer, ...fromCode.producer };
  return merged;
}
