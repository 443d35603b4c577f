import { Err, Ok, type Result } from 'ts-results-es';
import { parseDocument } from 'yaml';
import type { AnyComponentFactory } from '@otlp-kafka/core';
import { ConfigError } from './errors.js';
import { expandEnv } from './expand.js';
import { formatIssues } from './internal/issues.js';
import { mergeTrees } from './internal/merge.js';
import type { ComponentKind, Registry } from './registry.js';
import { serviceSchema, topLevelSchema, type ServiceConfig } from './service.js';

export interface ConfigSource {
  /** File name or label, for error messages. */
  name: string;
  text: string;
}

export interface ComponentConfig {
  id: string;
  type: string;
  /** The output of the factory's config schema. */
  config: unknown;
  /** The registered factory that validated `config` and builds the component. */
  factory: AnyComponentFactory;
}

/** A validated Collector-style config: every component checked against its schema. */
export interface ParsedConfig {
  receivers: ReadonlyMap<string, ComponentConfig>;
  processors: ReadonlyMap<string, ComponentConfig>;
  exporters: ReadonlyMap<string, ComponentConfig>;
  /**
   * The extensions section, each validated by the registry's extension factory
   * for its type. Only those named in `service.extensions` run, started by
   * whoever assembles the service (the CLI runs `health_check`).
   */
  extensions: ReadonlyMap<string, ComponentConfig>;
  service: ServiceConfig;
  /** The environment the config was expanded with (factories see it in their context). */
  env: Readonly<Record<string, string | undefined>>;
}

type SectionName = 'receivers' | 'processors' | 'exporters' | 'extensions';

const KINDS: Record<ComponentKind, SectionName> = {
  receiver: 'receivers',
  processor: 'processors',
  exporter: 'exporters',
  extension: 'extensions',
};

/**
 * YAML text(s) -> validated config. Several sources merge in order (later wins,
 * lists replaced). Each component section is validated by the schema of the
 * factory the registry has for its type. All problems are collected into one
 * error, each naming its path.
 */
export function parseConfig(
  sources: readonly ConfigSource[],
  registry: Registry,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Result<ParsedConfig, ConfigError> {
  let tree: unknown = {};
  for (const source of sources) {
    const doc = parseDocument(source.text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      const problems = doc.errors.map((e) => `${source.name}: ${e.message}`);
      return Err(new ConfigError('ERR_CONFIG_YAML', problems.join('\n'), '', problems));
    }
    const expanded = expandEnv(doc.toJS() ?? {}, env);
    if (expanded.isErr()) return expanded;
    tree = mergeTrees(tree, expanded.value);
  }

  const problems: string[] = [];
  const top = topLevelSchema.safeParse(tree);
  if (!top.success) return Err(invalid(formatIssues([], top.error)));
  const service = serviceSchema.safeParse(top.data.service);
  if (!service.success) problems.push(...formatIssues(['service'], service.error));

  const sections = {} as Record<SectionName, Map<string, ComponentConfig>>;
  for (const kind of Object.keys(KINDS) as (keyof typeof KINDS)[]) {
    const key = KINDS[kind];
    const map = new Map<string, ComponentConfig>();
    sections[key] = map;
    for (const [id, raw] of Object.entries(top.data[key] ?? {})) {
      const type = id.split('/')[0]!;
      const factory = registry.lookup(kind, type);
      if (!factory) {
        problems.push(
          `${key}.${id}: unknown ${kind} type "${type}"; supported: ${registry.types(kind).join(', ') || 'none registered'}`,
        );
        continue;
      }
      const parsed = factory.configSchema.safeParse(raw ?? {});
      if (!parsed.success) problems.push(...formatIssues([key, id], parsed.error));
      else map.set(id, { id, type, config: parsed.data, factory });
    }
  }
  if (service.success) {
    const declaredExtensions = Object.keys(top.data.extensions ?? {});
    for (const id of service.data.extensions ?? [])
      if (!declaredExtensions.includes(id))
        problems.push(
          `service.extensions: "${id}" is not defined in extensions (defined: ${declaredExtensions.join(', ') || 'none'})`,
        );
    for (const [pipelineId, p] of Object.entries(service.data.pipelines)) {
      const refs: [string, readonly string[] | undefined, 'receivers' | 'processors' | 'exporters'][] = [
        ['receivers', p.receivers, 'receivers'],
        ['processors', p.processors, 'processors'],
        ['exporters', p.exporters, 'exporters'],
      ];
      for (const [field, ids, section] of refs) {
        for (const id of ids ?? []) {
          const declared = Object.keys(top.data[section] ?? {});
          if (!declared.includes(id))
            problems.push(
              `service.pipelines.${pipelineId}.${field}: "${id}" is not defined in ${section} (defined: ${declared.join(', ') || 'none'})`,
            );
        }
      }
    }
    if (Object.keys(service.data.pipelines).length === 0)
      problems.push('service.pipelines: no pipelines defined');
  }
  if (problems.length > 0) return Err(invalid(problems));
  return Ok({ ...sections, service: service.data!, env });
}

function invalid(problems: string[]): ConfigError {
  return new ConfigError(
    'ERR_CONFIG_INVALID',
    `invalid configuration:\n  ${problems.join('\n  ')}`,
    '',
    problems,
  );
}
