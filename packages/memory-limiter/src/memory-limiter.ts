import { getLogger, getMeter, parseOptions, type Consumer, type Processor } from '@otlp-kafka/core';
import { MemoryGuard } from './internal/guard.js';
import { computeLimits } from './internal/limits.js';
import { LimiterMetrics } from './internal/metrics.js';
import { MemoryLimiterProcessor } from './internal/processor.js';
import type { MemoryLimiterState } from './state.js';
import { totalMemoryBytes } from './total-memory.js';
import { optionsSchema, type MemoryLimiterOptions } from './options.js';

/**
 * A processor factory (pass it in a pipeline's `processors`). Every processor
 * it builds shares one memory reading and one in-flight byte budget, as the
 * Collector shares one memory_limiter across pipelines.
 */
export interface MemoryLimiter {
  (next: Consumer): Processor;
  /** The current reading, decision and in-flight bytes. */
  readonly state: MemoryLimiterState;
  /** Reads memory now instead of waiting for the next interval. */
  check(): void;
}

export function createMemoryLimiter(options: MemoryLimiterOptions): MemoryLimiter {
  const o = parseOptions('memory-limiter', optionsSchema, options);
  const limits = computeLimits(o, o.totalMemoryBytes ?? (() => totalMemoryBytes()));
  const exposedGc = (globalThis as { gc?: () => void }).gc;
  const guard = new MemoryGuard({
    limits,
    checkIntervalMs: o.checkIntervalMs,
    memoryPerRequestByte: o.memoryPerRequestByte,
    readMemoryBytes: o.readMemoryBytes ?? (() => process.memoryUsage.rss()),
    gc:
      o.gc === false
        ? undefined
        : (o.gc ?? (typeof exposedGc === 'function' ? () => exposedGc() : undefined)),
    minGcIntervalWhenSoftLimitedMs: o.minGcIntervalWhenSoftLimitedMs,
    minGcIntervalWhenHardLimitedMs: o.minGcIntervalWhenHardLimitedMs,
    logger: getLogger(options, 'memory-limiter'),
  });
  const metrics = new LimiterMetrics(getMeter(options, 'memory-limiter'), o.name);
  const config = {
    name: o.name,
    guard,
    metrics,
    retryAfterMs: o.retryAfterMs ?? o.checkIntervalMs,
    shutdownTimeoutMs: o.shutdownTimeoutMs,
  };
  const factory = (next: Consumer): Processor => new MemoryLimiterProcessor(next, config);
  Object.defineProperty(factory, 'state', { get: () => guard.state, enumerable: true });
  return Object.assign(factory, { check: () => guard.check() }) as MemoryLimiter;
}
