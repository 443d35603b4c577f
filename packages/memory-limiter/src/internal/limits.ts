import type { ParsedOptions } from '../options.js';
import type { MemoryLimits } from '../state.js';
import { SPIKE_LIMIT_FRACTION } from '../options.js';

const MIB = 1024 * 1024;

/** Resolves MiB or percentage options to bytes; percentages need the total memory. */
export function computeLimits(o: ParsedOptions, totalMemoryBytes: () => number): MemoryLimits {
  let hard: number;
  let spike: number;
  if (o.limitMib !== undefined) {
    hard = o.limitMib * MIB;
    spike = o.spikeLimitMib !== undefined ? o.spikeLimitMib * MIB : hard * SPIKE_LIMIT_FRACTION;
  } else {
    const total = totalMemoryBytes();
    hard = (total * o.limitPercentage!) / 100;
    spike =
      o.spikeLimitPercentage !== undefined
        ? (total * o.spikeLimitPercentage) / 100
        : hard * SPIKE_LIMIT_FRACTION;
  }
  hard = Math.floor(hard);
  spike = Math.floor(spike);
  return {
    hardLimitBytes: hard,
    spikeLimitBytes: spike,
    softLimitBytes: hard - spike,
    maxInFlightBytes: o.maxInFlightBytes ?? Math.max(1, spike),
  };
}

export function toMib(bytes: number): string {
  return (bytes / MIB).toFixed(1);
}
