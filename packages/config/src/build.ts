import {
  createPipeline,
  noopLogger,
  type ComponentKind,
  type ComponentOf,
  type Exporter,
  type FactoryContext,
  type Pipeline,
  type PipelineSpec,
  type ProcessorFactory,
  type Receiver,
  type Signal,
  type TelemetryOptions,
} from '@otlp-kafka/core';

/** Telemetry for the components, and the pipeline's one shutdown deadline (default PIPELINE_SHUTDOWN_TIMEOUT_MS, 25 s). */
export interface BuildServiceOptions extends TelemetryOptions {
  shutdownTimeoutMs?: number;
}
import { Err, Ok, type Result } from 'ts-results-es';
import { ConfigError } from './errors.js';
import type { ComponentConfig, ParsedConfig } from './parse.js';

export interface BuiltService {
  /** All pipelines, ready to start(). */
  pipeline: Pipeline;
  pipelineIds: string[];
  receivers: ReadonlyMap<string, Receiver>;
  exporters: ReadonlyMap<string, Exporter>;
}

type Section = 'receivers' | 'processors' | 'exporters';

const signalOf = (pipelineId: string): Signal => pipelineId.split('/')[0] as Signal;

/**
 * Builds components and pipelines from a validated config, each with the
 * factory that validated its section. Receivers and exporters are shared
 * across the pipelines that name them; a processor factory's result is called
 * once per pipeline (memory_limiter shares its budget across those calls).
 * Errors thrown by a factory come back naming the component id.
 */
export function buildService(
  config: ParsedConfig,
  telemetry: BuildServiceOptions = {},
): Result<BuiltService, ConfigError> {
  const problems: string[] = [];
  const pipelines = Object.entries(config.service.pipelines);
  const attempt = <T>(path: string, make: () => T): T | undefined => {
    try {
      return make();
    } catch (e) {
      problems.push(`${path}: ${(e as Error).message}`);
      return undefined;
    }
  };
  // A component may refer to an extension's config (sending_queue.storage -> file_storage).
  const extensions = new Map(
    [...config.extensions].map(([id, e]) => [id, { type: e.type, config: e.config }]),
  );
  const build = <K extends Exclude<ComponentKind, 'extension'>>(
    section: Section,
    _kind: K,
  ): Map<string, ComponentOf[K]> => {
    const built = new Map<string, ComponentOf[K]>();
    for (const [id, c] of config[section] as ReadonlyMap<string, ComponentConfig>) {
      const using = pipelines.filter(([, p]) => (p[section] ?? []).includes(id));
      if (using.length === 0) continue;
      const context: FactoryContext = {
        id,
        signals: [...new Set(using.map(([pid]) => signalOf(pid)))],
        logger: telemetry.logger ?? noopLogger,
        meterProvider: telemetry.meterProvider,
        env: config.env,
        extensions,
      };
      const made = attempt(`${section}.${id}`, () => c.factory.create(c.config, context) as ComponentOf[K]);
      if (made) built.set(id, made);
    }
    return built;
  };

  const receivers: Map<string, Receiver> = build('receivers', 'receiver');
  const exporters: Map<string, Exporter> = build('exporters', 'exporter');
  const processors: Map<string, ProcessorFactory> = build('processors', 'processor');
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

function invalid(problems: string[]): ConfigError {
  return new ConfigError(
    'ERR_CONFIG_INVALID',
    `invalid configuration:\n  ${problems.join('\n  ')}`,
    '',
    problems,
  );
}
