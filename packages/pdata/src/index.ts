export { type Signal, SIGNALS, isSignal } from './signal.js';
export { PdataError, type PdataErrorCode } from './errors.js';
export { type Batch, type BatchMetadata, createBatch, trustedBatch, withMetadata } from './batch.js';
export { countItems } from './ops/count.js';
export { mergeBatches } from './ops/merge.js';
export { splitBatch, type SplitLimits } from './ops/split.js';
export { groupByTraceId, groupByResource, groupByResourceAttribute } from './ops/group.js';
export { editResource, type ResourceAction, type AttributeValue } from './ops/resource.js';
