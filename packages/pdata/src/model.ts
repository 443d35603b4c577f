import type { Signal } from './signal.js';

/*
 * Plain-object model of the OTLP v1 messages (opentelemetry-proto v1.10),
 * field names in lowerCamelCase as in OTLP/JSON.
 *
 * Type mapping: bytes -> Uint8Array (trace and span ids too);
 * int64 / uint64 / fixed64 / sfixed64 -> bigint; int32 / uint32 / sint32 /
 * fixed32 / enums -> number; double -> number.
 *
 * Decoding always fills every plain field with its value or the proto3 default
 * ('' / 0 / 0n / false / empty array / empty Uint8Array), so a decoded object
 * has every property. Message fields (resource, scope, status, body, ...) are
 * optional: undefined when absent, an object when present (even if empty).
 * proto3 `optional` fields and oneof members are optional properties.
 */

// ---- common/v1 ---------------------------------------------------------------

/**
 * The value of an attribute. At most one member is set (a oneof); none set
 * means an empty value. Decoding sets exactly the member found last on the wire.
 */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: bigint;
  doubleValue?: number;
  arrayValue?: ArrayValue;
  kvlistValue?: KeyValueList;
  bytesValue?: Uint8Array;
  /** Profiles only: an index into the profiles string table (field 8). */
  stringValueStrindex?: number;
}

export interface ArrayValue {
  values: AnyValue[];
}

export interface KeyValueList {
  values: KeyValue[];
}

export interface KeyValue {
  key: string;
  value?: AnyValue;
  /** Profiles only: the key as an index into the profiles string table (field 3). Absent when 0. */
  keyStrindex?: number;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

/** A reference from a Resource to an entity described by some of its attributes. */
export interface EntityRef {
  schemaUrl: string;
  type: string;
  idKeys: string[];
  descriptionKeys: string[];
}

// ---- resource/v1 -------------------------------------------------------------

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
  entityRefs: EntityRef[];
}

// ---- trace/v1 ----------------------------------------------------------------

export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKind = number;

export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = number;

/** Bits of Span.flags and Link.flags (and the low byte of LogRecord.flags). */
export const SpanFlags = {
  TRACE_FLAGS_MASK: 0x000000ff,
  CONTEXT_HAS_IS_REMOTE_MASK: 0x00000100,
  CONTEXT_IS_REMOTE_MASK: 0x00000200,
} as const;

export interface ResourceSpans {
  resource?: Resource;
  scopeSpans: ScopeSpans[];
  schemaUrl: string;
}

export interface ScopeSpans {
  scope?: InstrumentationScope;
  spans: Span[];
  schemaUrl: string;
}

export interface Span {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  parentSpanId: Uint8Array;
  /** fixed32: W3C trace flags in the low byte, plus the SpanFlags remote bits. */
  flags: number;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status?: Status;
}

/** Span.Event */
export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

/** Span.Link */
export interface SpanLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

export interface Status {
  message: string;
  code: StatusCode;
}

// ---- metrics/v1 --------------------------------------------------------------

export const AggregationTemporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;
export type AggregationTemporality = number;

export const DataPointFlags = { NONE: 0, NO_RECORDED_VALUE_MASK: 1 } as const;
export type DataPointFlags = number;

export interface ResourceMetrics {
  resource?: Resource;
  scopeMetrics: ScopeMetrics[];
  schemaUrl: string;
}

export interface ScopeMetrics {
  scope?: InstrumentationScope;
  metrics: Metric[];
  schemaUrl: string;
}

/** One of gauge / sum / histogram / exponentialHistogram / summary is set (a oneof). */
export interface Metric {
  name: string;
  description: string;
  unit: string;
  gauge?: Gauge;
  sum?: Sum;
  histogram?: Histogram;
  exponentialHistogram?: ExponentialHistogram;
  summary?: Summary;
  metadata: KeyValue[];
}

export interface Gauge {
  dataPoints: NumberDataPoint[];
}

export interface Sum {
  dataPoints: NumberDataPoint[];
  aggregationTemporality: AggregationTemporality;
  isMonotonic: boolean;
}

export interface Histogram {
  dataPoints: HistogramDataPoint[];
  aggregationTemporality: AggregationTemporality;
}

export interface ExponentialHistogram {
  dataPoints: ExponentialHistogramDataPoint[];
  aggregationTemporality: AggregationTemporality;
}

export interface Summary {
  dataPoints: SummaryDataPoint[];
}

/** asDouble / asInt is a oneof: at most one is set. */
export interface NumberDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  asDouble?: number;
  asInt?: bigint;
  exemplars: Exemplar[];
  flags: DataPointFlags;
}

export interface HistogramDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum?: number;
  bucketCounts: bigint[];
  explicitBounds: number[];
  exemplars: Exemplar[];
  flags: DataPointFlags;
  min?: number;
  max?: number;
}

export interface ExponentialHistogramDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum?: number;
  scale: number;
  zeroCount: bigint;
  positive?: ExponentialHistogramBuckets;
  negative?: ExponentialHistogramBuckets;
  flags: DataPointFlags;
  exemplars: Exemplar[];
  min?: number;
  max?: number;
  zeroThreshold: number;
}

/** ExponentialHistogramDataPoint.Buckets */
export interface ExponentialHistogramBuckets {
  offset: number;
  bucketCounts: bigint[];
}

export interface SummaryDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number;
  quantileValues: ValueAtQuantile[];
  flags: DataPointFlags;
}

/** SummaryDataPoint.ValueAtQuantile */
export interface ValueAtQuantile {
  quantile: number;
  value: number;
}

/** asDouble / asInt is a oneof: at most one is set. */
export interface Exemplar {
  filteredAttributes: KeyValue[];
  timeUnixNano: bigint;
  asDouble?: number;
  asInt?: bigint;
  spanId: Uint8Array;
  traceId: Uint8Array;
}

// ---- logs/v1 -----------------------------------------------------------------

export const SeverityNumber = {
  UNSPECIFIED: 0,
  TRACE: 1,
  TRACE2: 2,
  TRACE3: 3,
  TRACE4: 4,
  DEBUG: 5,
  DEBUG2: 6,
  DEBUG3: 7,
  DEBUG4: 8,
  INFO: 9,
  INFO2: 10,
  INFO3: 11,
  INFO4: 12,
  WARN: 13,
  WARN2: 14,
  WARN3: 15,
  WARN4: 16,
  ERROR: 17,
  ERROR2: 18,
  ERROR3: 19,
  ERROR4: 20,
  FATAL: 21,
  FATAL2: 22,
  FATAL3: 23,
  FATAL4: 24,
} as const;
export type SeverityNumber = number;

export interface ResourceLogs {
  resource?: Resource;
  scopeLogs: ScopeLogs[];
  schemaUrl: string;
}

export interface ScopeLogs {
  scope?: InstrumentationScope;
  logRecords: LogRecord[];
  schemaUrl: string;
}

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: SeverityNumber;
  severityText: string;
  body?: AnyValue;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** fixed32: W3C trace flags in the low byte. */
  flags: number;
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName: string;
}

// ---- collector/*/v1 ----------------------------------------------------------

export interface ExportTraceServiceRequest {
  resourceSpans: ResourceSpans[];
}

export interface ExportMetricsServiceRequest {
  resourceMetrics: ResourceMetrics[];
}

export interface ExportLogsServiceRequest {
  resourceLogs: ResourceLogs[];
}

export interface ExportTraceServiceResponse {
  partialSuccess?: { rejectedSpans: bigint; errorMessage: string };
}

export interface ExportMetricsServiceResponse {
  partialSuccess?: { rejectedDataPoints: bigint; errorMessage: string };
}

export interface ExportLogsServiceResponse {
  partialSuccess?: { rejectedLogRecords: bigint; errorMessage: string };
}

interface RequestMap {
  traces: ExportTraceServiceRequest;
  metrics: ExportMetricsServiceRequest;
  logs: ExportLogsServiceRequest;
}

/** The Export*ServiceRequest type of a signal. */
export type RequestOf<S extends Signal> = RequestMap[S];

/**
 * The partial_success of an Export*ServiceResponse, signal-neutral:
 * rejectedItems is rejected_spans / rejected_data_points / rejected_log_records.
 */
export interface ExportResponse {
  rejectedItems: number;
  errorMessage: string;
}
