import { createRegistry, type ParsedConfig, type Registry } from '@otlp-kafka/config';
import type { Component, Logger } from '@otlp-kafka/core';
import { Err, Ok, type Result } from 'ts-results-es';
import { HealthCheck, healthCheckFactory, type HealthStatus } from './health-check.js';

/**
 * The registry with the extensions the command itself provides (health_check)
 * added when it has none of that type: a copy, the caller's is left as it is.
 */
export function withCliExtensions(registry: Registry): Registry {
  if (registry.lookup('extension', healthCheckFactory.type)) return registry;
  return createRegistry([...registry.factories, healthCheckFactory]);
}

export interface RunningExtensions {
  readonly components: ReadonlyMap<string, Component>;
  /** Tells every health_check where the process is. */
  setStatus(status: HealthStatus): void;
  /** host:port of each health_check, by id, once started. */
  healthAddresses(): Record<string, string>;
  /** Starts them in config order; a failure shuts down those already started and rejects. */
  start(): Promise<void>;
  /** Shuts them down in reverse order; never rejects. */
  shutdown(): Promise<void>;
}

/** Builds the extensions named in service.extensions with their factories; a factory's throw comes back naming the id. */
export function buildExtensions(config: ParsedConfig, logger: Logger): Result<RunningExtensions, string[]> {
  const components = new Map<string, Component>();
  const problems: string[] = [];
  for (const id of config.service.extensions ?? []) {
    const c = config.extensions.get(id);
    if (!c) continue; // reported by parseConfig
    try {
      components.set(
        id,
        c.factory.create(c.config, { id, signals: [], logger, env: config.env }) as Component,
      );
    } catch (e) {
      problems.push(`extensions.${id}: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) return Err(problems);
  const health = [...components].filter((e): e is [string, HealthCheck] => e[1] instanceof HealthCheck);
  const started: Component[] = [];
  const shutdownAll = async () => {
    for (const c of started.reverse())
      await c.shutdown().catch((e: unknown) => logger.warn({ err: e }, 'extension shutdown failed'));
    started.length = 0;
  };
  return Ok({
    components,
    setStatus: (status) => health.forEach(([, h]) => h.setStatus(status)),
    healthAddresses: () => Object.fromEntries(health.map(([id, h]) => [id, h.address ?? ''])),
    async start() {
      for (const [id, c] of components) {
        try {
          await c.start();
        } catch (e) {
          logger.error({ err: e, extension: id }, 'cannot start the extension');
          await shutdownAll();
          throw e;
        }
        started.push(c);
      }
    },
    shutdown: shutdownAll,
  });
}
