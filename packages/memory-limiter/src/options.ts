import { z } from 'zod';
import type { Assert, DefaultsOf, SchemaMatches, TelemetryOptions } from '@otlp-kafka/core';

/**
 * Options of the memory limiter. Exactly one of `limitMib` and
 * `limitPercentage` is required; everything else has a default.
 */
export interface MemoryLimiterOptions extends TelemetryOptions {
  /** How often memory is read. Default 1000. */
  checkIntervalMs?: number;
  /** Hard limit in MiB. */
  limitMib?: number;
  /** Headroom below the hard limit; the soft limit is limit - spike. Default 20% of the limit. */
  spikeLimitMib?: number;
  /** Hard limit as a percentage of the total memory (cgroup memory.max / memory.limit_in_bytes, else os.totalmem()). */
  limitPercentage?: number;
  /** Spike limit as a percentage of the total memory. Default 20% of the limit. */
  spikeLimitPercentage?: number;
  /**
   * Bytes admitted and not yet acknowledged downstream, across every pipeline
   * built from this limiter. Default: the spike limit. Memory readings lag a
   * burst; this budget does not.
   */
  maxInFlightBytes?: number;
  /**
   * Memory a request costs per encoded byte while it passes the work behind
   * the limiter, charged at admission against the hard limit (the
   * reservation). Default 4: the request itself (held until it is answered),
   * the resource processor's rewritten copy, the batcher's merged request,
   * and the Kafka client's copy of the record. Readings lag by up to
   * `checkIntervalMs`; what was admitted since the last one is not in it yet,
   * so a burst of large requests is refused before it takes memory past the
   * hard limit, not one interval later.
   */
  memoryPerRequestByte?: number;
  /** Retry hint given with every refusal. Default: checkIntervalMs (the earliest the state can change). */
  retryAfterMs?: number;
  /** Bytes of memory in use. Default: the process's resident set size. */
  readMemoryBytes?: () => number;
  /** Total memory for the percentage limits. Default: the cgroup limit, else os.totalmem(). */
  totalMemoryBytes?: () => number;
  /**
   * Forces a full garbage collection when memory is over a limit, so garbage
   * that keeps the reading high (refused request bodies) does not keep the
   * limiter refusing. Default: `globalThis.gc` when node runs with
   * --expose-gc (the otlp-kafka CLI exposes it), else none. `false`: never.
   */
  gc?: (() => void) | false;
  /** Least time between forced GCs while above the soft limit. Default 10000 (as the Collector). */
  minGcIntervalWhenSoftLimitedMs?: number;
  /** Least time between forced GCs while above the hard limit. Default 0. */
  minGcIntervalWhenHardLimitedMs?: number;
  /** Bound on waiting for in-flight batches at shutdown. Default 10000. */
  shutdownTimeoutMs?: number;
  /** The `processor` attribute of the metrics (a Collector component id). Default "memory_limiter". */
  name?: string;
}

export const DEFAULTS = {
  checkIntervalMs: 1000,
  memoryPerRequestByte: 4,
  minGcIntervalWhenSoftLimitedMs: 10_000,
  minGcIntervalWhenHardLimitedMs: 0,
  shutdownTimeoutMs: 10_000,
  name: 'memory_limiter',
} as const satisfies DefaultsOf<MemoryLimiterOptions>;

/** The spike limit when none is given: this fraction of the hard limit (the Collector's 20%). */
export const SPIKE_LIMIT_FRACTION = 0.2;

const positiveMs = z.number().int().positive();

export const optionsSchema = z
  .object({
    checkIntervalMs: positiveMs.default(DEFAULTS.checkIntervalMs),
    limitMib: z.number().positive().optional(),
    spikeLimitMib: z.number().positive().optional(),
    limitPercentage: z.number().positive().max(100).optional(),
    spikeLimitPercentage: z.number().positive().max(100).optional(),
    maxInFlightBytes: z.number().int().positive().optional(),
    memoryPerRequestByte: z.number().min(0).max(1000).default(DEFAULTS.memoryPerRequestByte),
    retryAfterMs: z.number().int().nonnegative().optional(),
    readMemoryBytes: z.custom<() => number>((v) => typeof v === 'function', 'must be a function').optional(),
    totalMemoryBytes: z.custom<() => number>((v) => typeof v === 'function', 'must be a function').optional(),
    gc: z
      .union([z.custom<() => void>((v) => typeof v === 'function', 'must be a function'), z.literal(false)])
      .optional(),
    minGcIntervalWhenSoftLimitedMs: z
      .number()
      .int()
      .nonnegative()
      .default(DEFAULTS.minGcIntervalWhenSoftLimitedMs),
    minGcIntervalWhenHardLimitedMs: z
      .number()
      .int()
      .nonnegative()
      .default(DEFAULTS.minGcIntervalWhenHardLimitedMs),
    shutdownTimeoutMs: positiveMs.default(DEFAULTS.shutdownTimeoutMs),
    name: z.string().min(1).default(DEFAULTS.name),
    meterProvider: z.any().optional(),
    logger: z.any().optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const byMib = o.limitMib !== undefined;
    const byPct = o.limitPercentage !== undefined;
    if (byMib === byPct) {
      ctx.addIssue({
        code: 'custom',
        path: ['limitMib'],
        message: 'exactly one of limitMib and limitPercentage is required',
      });
    }
    if (o.spikeLimitMib !== undefined && !byMib) {
      ctx.addIssue({ code: 'custom', path: ['spikeLimitMib'], message: 'only valid together with limitMib' });
    }
    if (o.spikeLimitPercentage !== undefined && !byPct) {
      ctx.addIssue({
        code: 'custom',
        path: ['spikeLimitPercentage'],
        message: 'only valid together with limitPercentage',
      });
    }
    if (byMib && o.spikeLimitMib !== undefined && o.spikeLimitMib >= o.limitMib!) {
      ctx.addIssue({ code: 'custom', path: ['spikeLimitMib'], message: 'must be less than limitMib' });
    }
    if (byPct && o.spikeLimitPercentage !== undefined && o.spikeLimitPercentage >= o.limitPercentage!) {
      ctx.addIssue({
        code: 'custom',
        path: ['spikeLimitPercentage'],
        message: 'must be less than limitPercentage',
      });
    }
  });

export type ParsedOptions = z.output<typeof optionsSchema>;

/** Compile-time: the schema accepts exactly the options of the interface. @typecheck */
export type OptionsCheck = Assert<SchemaMatches<z.input<typeof optionsSchema>, MemoryLimiterOptions>>;
