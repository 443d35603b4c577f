import { defined, duration } from '@otlp-kafka/core';
import { z } from 'zod';
import type { MemoryLimiterOptions } from '../options.js';

/** The Collector's memory_limiter config (snake_case, durations as "1s"). Strict: an unknown option is an error. */
export const configSchema = z.strictObject({
  check_interval: duration.optional(),
  limit_mib: z.number().int().positive().optional(),
  spike_limit_mib: z.number().int().nonnegative().optional(),
  limit_percentage: z.number().int().min(1).max(100).optional(),
  spike_limit_percentage: z.number().int().min(0).max(100).optional(),
});

export type MemoryLimiterConfig = z.output<typeof configSchema>;

/** Config -> options; unset keys stay unset so the options' defaults (and their checks) apply. */
export function toOptions(c: MemoryLimiterConfig): MemoryLimiterOptions {
  return defined({
    checkIntervalMs: c.check_interval,
    limitMib: c.limit_mib,
    spikeLimitMib: c.spike_limit_mib,
    limitPercentage: c.limit_percentage,
    spikeLimitPercentage: c.spike_limit_percentage,
  });
}
