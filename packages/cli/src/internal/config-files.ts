import { readFileSync } from 'node:fs';
import { parseConfig, type ConfigSource, type ParsedConfig, type Registry } from '@otlp-kafka/config';
import { Err, Ok, type Result } from 'ts-results-es';
import { defaultRegistry } from '../components.js';
import { withCliExtensions } from './extensions.js';

/**
 * Reads --config files (a path, or "yaml:<inline text>" as the Collector allows) and validates them
 * against the registry's factories, plus the extensions the command provides (health_check).
 */
export function loadConfigFiles(
  paths: readonly string[],
  registry: Registry = defaultRegistry(),
): Result<ParsedConfig, string[]> {
  if (paths.length === 0) return Err(['no --config given: otlp-kafka --config file.yaml']);
  const sources: ConfigSource[] = [];
  for (const p of paths) {
    if (p.startsWith('yaml:')) {
      sources.push({ name: '--config yaml:', text: p.slice(5) });
      continue;
    }
    try {
      sources.push({ name: p, text: readFileSync(p, 'utf8') });
    } catch (e) {
      return Err([`cannot read config file ${p}: ${(e as Error).message}`]);
    }
  }
  const parsed = parseConfig(sources, withCliExtensions(registry));
  return parsed.isOk() ? Ok(parsed.value) : Err([...parsed.error.problems]);
}
