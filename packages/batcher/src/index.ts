export { createBatcher } from './batcher.js';
export { batcherFactory } from './factory.js';
export { DEFAULTS as BATCHER_DEFAULTS, type BatcherOptions } from './options.js';
