export { createBatcher } from './batcher.js';
export { DEFAULTS as BATCHER_DEFAULTS, type BatcherOptions } from './options.js';
