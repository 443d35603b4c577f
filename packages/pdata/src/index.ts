export { type Signal, SIGNALS, isSignal } from './signal.js';
export { PdataError, type PdataErrorCode } from './errors.js';
export { type Batch, type BatchMetadata, createBatch, trustedBatch, withMetadata } from './batch.js';
export { countItems } from './ops/count.js';
