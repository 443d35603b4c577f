export { type Signal, SIGNALS, isSignal } from './signal.js';
export { PdataError, type PdataErrorCode } from './errors.js';
export {
  type Batch,
  type BatchMetadata,
  type CreateBatchOptions,
  createBatch,
  trustedBatch,
  withMetadata,
} from './batch.js';
export { countItems } from './ops/count.js';
export { mergeBatches } from './ops/merge.js';
export { splitBatch, type SplitLimits } from './ops/split.js';
export { groupByTraceId, groupByResource, groupByResourceAttribute } from './ops/group.js';
export { editResource, type ResourceAction, type AttributeValue } from './ops/resource.js';
export { validateRequest, type ValidateOptions } from './ops/validate.js';
export { forEachItem, filterItems, editItems } from './ops/items.js';
export type { Item, ItemView, MetricType } from './item.js';
export type {
  AnyValue,
  ArrayValue,
  KeyValueList,
  KeyValue,
  InstrumentationScope,
  EntityRef,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  Status,
  ResourceMetrics,
  ScopeMetrics,
  Metric,
  Gauge,
  Sum,
  Histogram,
  ExponentialHistogram,
  Summary,
  NumberDataPoint,
  HistogramDataPoint,
  ExponentialHistogramDataPoint,
  ExponentialHistogramBuckets,
  SummaryDataPoint,
  ValueAtQuantile,
  Exemplar,
  ResourceLogs,
  ScopeLogs,
  LogRecord,
  ExportTraceServiceRequest,
  ExportMetricsServiceRequest,
  ExportLogsServiceRequest,
  ExportTraceServiceResponse,
  ExportMetricsServiceResponse,
  ExportLogsServiceResponse,
  ExportResponse,
  RequestOf,
} from './model.js';
export {
  SpanKind,
  StatusCode,
  SpanFlags,
  AggregationTemporality,
  DataPointFlags,
  SeverityNumber,
} from './model.js';
export { decodeRequest, encodeRequest } from './codec/request.js';
export { encodeExportResponse, decodeExportResponse } from './codec/response.js';
export {
  requestToJson,
  requestFromJson,
  protoToJson,
  jsonToProto,
  exportResponseToJson,
  exportResponseFromJson,
} from './json/index.js';
export {
  type GrpcStatusDetails,
  RETRY_INFO_TYPE_URL,
  encodeGrpcStatusDetails,
  decodeGrpcRetryDelayMs,
} from './grpc-status.js';
