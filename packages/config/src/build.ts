import { createBatcher } from '@otlp-kafka/batcher';
import {
  createPipeline,
  type Exporter,
  type Pipeline,
  type PipelineSpec,
  type ProcessorFactory,
  type Receiver,
  type Signal,
  type TelemetryOptions,
} from '@otlp-kafka/core';
import { createKafkaExporter } from '@otlp-kafka/kafka-producer-exporter';
import { createKafkaReceiver } from '@otlp-kafka/kafka-consumer-receiver';
import { createMemoryLimiter } from '@otlp-kafka/memory-limiter';
import { createOtlpExporter } from '@otlp-kafka/otlp-exporter';
import { createOtlpReceiver } from '@otlp-kafka/otlp-receiver';
import { createResourceProcessor } from '@otlp-kafka/resource-processor';
import { Err, Ok, type Result } from 'ts-results-es';
import type { z } from 'zod';
import {
  mapBatch,
  mapKafkaExporter,
  mapKafkaReceiver,
  mapMemoryLimiter,
  mapOtlpExporter,
  mapOtlpReceiver,
  mapResource,
} from './components/map.js';
import type * as schemas from './components/schemas.js';
import { ConfigError } from './errors.js';
import type { ComponentConfig, ParsedConfig } from './parse.js';

export interface BuiltService {
  /** All pipelines, ready to start(). */
  pipeline: Pipeline;
  pipelineIds: string[];
  receivers: ReadonlyMap<string, Receiver>;
  exporters: ReadonlyMap<string, Exporter>;
}

type Out<S extends keyof typeof schemas> = z.output<(typeof schemas)[S]>;

const signalOf = (pipelineId: string): Signal => pipelineId.split('/')[0] as Signal;

/** The Kafka topic a kafka component uses for a signal when the config names none (the Collector's defaults). */
export const DEFAULT_KAFKA_TOPICS: Record<Signal, string> = { traces: 'otlp_spans', metrics: 'otlp_metrics', logs: 'otlp_logs' };

/**
 * Builds components and pipelines from a validated config. Receivers and
 * exporters are shared across the pipelines that name them; processors are
 * one instance per pipeline, except memory_limiter whose budget is shared.
 * Option errors from the components come back naming the component id.
 */
export function buildService(config: ParsedConfig, telemetry: TelemetryOptions = {}): Result<BuiltService, ConfigError> {
  const problems: string[] = [];
  const pipelines = Object.entries(config.service.pipelines);
  const signalsOf = (kind: 'receivers' | 'exporters', id: string): Signal[] => [
    ...new Set(pipelines.filter(([, p]) => p[kind].includes(id)).map(([pid]) => signalOf(pid))),
  ];
  const attempt = <T>(path: string, make: () => T): T | undefined => {
    try {
      return make();
    } catch (e) {
      problems.push(`${path}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const used = (kind: 'receivers' | 'processors' | 'exporters', id: string) =>
    pipelines.some(([, p]) => (p[kind] ?? []).includes(id));

  const receivers = new Map<string, Receiver>();
  for (const [id, c] of config.receivers) {
    if (!used('receivers', id)) continue;
    const r = attempt(`receivers.${id}`, () => buildReceiver(c, signalsOf('receivers', id), telemetry));
    if (r) receivers.set(id, r);
  }
  const exporters = new Map<string, Exporter>();
  for (const [id, c] of config.exporters) {
    if (!used('exporters', id)) continue;
    const e = attempt(`exporters.${id}`, () => buildExporter(c, signalsOf('exporters', id), telemetry));
    if (e) exporters.set(id, e);
  }
  const processors = new Map<string, ProcessorFactory>();
  for (const [id, c] of config.processors) {
    if (!used('processors', id)) continue;
    const p = attempt(`processors.${id}`, () => buildProcessor(c, telemetry));
    if (p) processors.set(id, p);
  }
  if (problems.length > 0) return Err(invalid(problems));

  const specs: PipelineSpec[] = pipelines.map(([pid, p]) => ({
    signal: signalOf(pid),
    name: pid,
    receivers: p.receivers.map((id) => receivers.get(id)!),
    processors: (p.processors ?? []).map((id) => processors.get(id)!),
    exporters: p.exporters.map((id) => exporters.get(id)!),
  }));
  const pipeline = attempt('service.pipelines', () => createPipeline({ ...telemetry, pipelines: specs }));
  if (!pipeline) return Err(invalid(problems));
  return Ok({ pipeline, pipelineIds: pipelines.map(([pid]) => pid), receivers, exporters });
}

function buildReceiver(c: ComponentConfig, signals: Signal[], telemetry: TelemetryOptions): Receiver {
  switch (c.type) {
    case 'otlp':
      return createOtlpReceiver({ ...mapOtlpReceiver(c.config as Out<'otlpReceiverSchema'>), ...telemetry, name: c.id });
    case 'kafka': {
      const cfg = c.config as Out<'kafkaReceiverSchema'>;
      const mapped = mapKafkaReceiver(cfg);
      if (signals.length > 1 && mapped.topics)
        throw new Error(
          `one topic list cannot feed ${signals.join(' and ')} pipelines: define one kafka/<name> receiver per signal`,
        );
      const bySignal = Object.fromEntries(
        signals.map((s) => [s, { topics: mapped.topics ?? [DEFAULT_KAFKA_TOPICS[s]] }]),
      );
      return createKafkaReceiver({ ...mapped, topics: undefined, ...bySignal, ...telemetry });
    }
    default:
      throw new Error(`unsupported receiver type ${c.type}`);
  }
}

function buildExporter(c: ComponentConfig, signals: Signal[], telemetry: TelemetryOptions): Exporter {
  switch (c.type) {
    case 'kafka': {
      const mapped = mapKafkaExporter(c.config as Out<'kafkaExporterSchema'>);
      const { topic, ...rest } = mapped;
      // A topic in the config applies to every signal the exporter serves, as in the Collector.
      const topics = topic ? Object.fromEntries(signals.map((s) => [s, topic])) : undefined;
      return createKafkaExporter({ ...rest, ...(topics ? { topics } : {}), ...telemetry, name: c.id });
    }
    case 'otlp':
      return createOtlpExporter({ ...mapOtlpExporter(c.config as Out<'otlpExporterSchema'>, 'grpc'), ...telemetry, name: c.id });
    case 'otlphttp':
      return createOtlpExporter({ ...mapOtlpExporter(c.config as Out<'otlpHttpExporterSchema'>, 'http'), ...telemetry, name: c.id });
    default:
      throw new Error(`unsupported exporter type ${c.type}`);
  }
}

function buildProcessor(c: ComponentConfig, telemetry: TelemetryOptions): ProcessorFactory {
  switch (c.type) {
    case 'batch':
      return createBatcher({ ...mapBatch(c.config as Out<'batchSchema'>), ...telemetry });
    case 'memory_limiter':
      return createMemoryLimiter({ ...mapMemoryLimiter(c.config as Out<'memoryLimiterSchema'>), ...telemetry });
    case 'resource':
      return createResourceProcessor({ ...mapResource(c.config as Out<'resourceSchema'>), ...telemetry });
    default:
      throw new Error(`unsupported processor type ${c.type}`);
  }
}

function invalid(problems: string[]): ConfigError {
  return new ConfigError('ERR_CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, '', problems);
}
