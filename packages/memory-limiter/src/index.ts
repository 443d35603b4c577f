export { createMemoryLimiter, type MemoryLimiter } from './memory-limiter.js';
export { memoryLimiterFactory } from './factory.js';
export { DEFAULTS, type MemoryLimiterOptions } from './options.js';
export type { MemoryLimiterState, MemoryLimits } from './state.js';
export { totalMemoryBytes, cgroupLimitBytes, type CgroupPaths } from './total-memory.js';
