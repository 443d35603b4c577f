import type { WireWriter } from '../internal/wire-writer.js';
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  ResourceMetrics,
  ScopeMetrics,
  SummaryDataPoint,
} from '../model.js';
import {
  putAttributes,
  putBool,
  putBytes,
  putDouble,
  putDoubleIfDefined,
  putFixed64,
  putFixed64Always,
  putInt32,
  putPackedDouble,
  putPackedFixed64,
  putPackedUint64,
  putResource,
  putScope,
  putSint32,
  putString,
  putUint32,
} from './encode-common.js';

export function encodeMetricsRequest(w: WireWriter, req: ExportMetricsServiceRequest): void {
  for (const rm of req.resourceMetrics ?? []) putResourceMetrics(w, rm);
}

function putResourceMetrics(w: WireWriter, rm: ResourceMetrics): void {
  w.begin();
  putResource(w, 1, rm.resource);
  for (const sm of rm.scopeMetrics ?? []) putScopeMetrics(w, sm);
  putString(w, 3, rm.schemaUrl);
  w.end(1);
}

function putScopeMetrics(w: WireWriter, sm: ScopeMetrics): void {
  w.begin();
  putScope(w, 1, sm.scope);
  for (const m of sm.metrics ?? []) putMetric(w, m);
  putString(w, 3, sm.schemaUrl);
  w.end(2);
}

/** The data oneof: the first member set, in field order, is written. */
function putMetric(w: WireWriter, m: Metric): void {
  w.begin();
  putString(w, 1, m.name);
  putString(w, 2, m.description);
  putString(w, 3, m.unit);
  if (m.gauge !== undefined) {
    w.begin();
    for (const dp of m.gauge.dataPoints ?? []) putNumberDataPoint(w, dp);
    w.end(5);
  } else if (m.sum !== undefined) {
    w.begin();
    for (const dp of m.sum.dataPoints ?? []) putNumberDataPoint(w, dp);
    putInt32(w, 2, m.sum.aggregationTemporality);
    putBool(w, 3, m.sum.isMonotonic);
    w.end(7);
  } else if (m.histogram !== undefined) {
    w.begin();
    for (const dp of m.histogram.dataPoints ?? []) putHistogramDataPoint(w, dp);
    putInt32(w, 2, m.histogram.aggregationTemporality);
    w.end(9);
  } else if (m.exponentialHistogram !== undefined) {
    w.begin();
    for (const dp of m.exponentialHistogram.dataPoints ?? []) putExpDataPoint(w, dp);
    putInt32(w, 2, m.exponentialHistogram.aggregationTemporality);
    w.end(10);
  } else if (m.summary !== undefined) {
    w.begin();
    for (const dp of m.summary.dataPoints ?? []) putSummaryDataPoint(w, dp);
    w.end(11);
  }
  putAttributes(w, 12, m.metadata);
  w.end(2);
}

function putNumberDataPoint(w: WireWriter, dp: NumberDataPoint): void {
  w.begin();
  putFixed64(w, 2, dp.startTimeUnixNano);
  putFixed64(w, 3, dp.timeUnixNano);
  if (dp.asDouble !== undefined) putDoubleIfDefined(w, 4, dp.asDouble);
  for (const e of dp.exemplars ?? []) putExemplar(w, 5, e);
  if (dp.asDouble === undefined && dp.asInt !== undefined) putFixed64Always(w, 6, dp.asInt);
  putAttributes(w, 7, dp.attributes);
  putUint32(w, 8, dp.flags);
  w.end(1);
}

function putHistogramDataPoint(w: WireWriter, dp: HistogramDataPoint): void {
  w.begin();
  putFixed64(w, 2, dp.startTimeUnixNano);
  putFixed64(w, 3, dp.timeUnixNano);
  putFixed64(w, 4, dp.count);
  putDoubleIfDefined(w, 5, dp.sum);
  putPackedFixed64(w, 6, dp.bucketCounts);
  putPackedDouble(w, 7, dp.explicitBounds);
  for (const e of dp.exemplars ?? []) putExemplar(w, 8, e);
  putAttributes(w, 9, dp.attributes);
  putUint32(w, 10, dp.flags);
  putDoubleIfDefined(w, 11, dp.min);
  putDoubleIfDefined(w, 12, dp.max);
  w.end(1);
}

function putExpDataPoint(w: WireWriter, dp: ExponentialHistogramDataPoint): void {
  w.begin();
  putAttributes(w, 1, dp.attributes);
  putFixed64(w, 2, dp.startTimeUnixNano);
  putFixed64(w, 3, dp.timeUnixNano);
  putFixed64(w, 4, dp.count);
  putDoubleIfDefined(w, 5, dp.sum);
  putSint32(w, 6, dp.scale);
  putFixed64(w, 7, dp.zeroCount);
  putBuckets(w, 8, dp.positive);
  putBuckets(w, 9, dp.negative);
  putUint32(w, 10, dp.flags);
  for (const e of dp.exemplars ?? []) putExemplar(w, 11, e);
  putDoubleIfDefined(w, 12, dp.min);
  putDoubleIfDefined(w, 13, dp.max);
  putDouble(w, 14, dp.zeroThreshold);
  w.end(1);
}

function putBuckets(w: WireWriter, field: number, b: ExponentialHistogramBuckets | undefined): void {
  if (b === undefined) return;
  w.begin();
  putSint32(w, 1, b.offset);
  putPackedUint64(w, 2, b.bucketCounts);
  w.end(field);
}

function putSummaryDataPoint(w: WireWriter, dp: SummaryDataPoint): void {
  w.begin();
  putFixed64(w, 2, dp.startTimeUnixNano);
  putFixed64(w, 3, dp.timeUnixNano);
  putFixed64(w, 4, dp.count);
  putDouble(w, 5, dp.sum);
  for (const q of dp.quantileValues ?? []) {
    w.begin();
    putDouble(w, 1, q.quantile);
    putDouble(w, 2, q.value);
    w.end(6);
  }
  putAttributes(w, 7, dp.attributes);
  putUint32(w, 8, dp.flags);
  w.end(1);
}

function putExemplar(w: WireWriter, field: number, e: Exemplar): void {
  w.begin();
  putFixed64(w, 2, e.timeUnixNano);
  if (e.asDouble !== undefined) putDoubleIfDefined(w, 3, e.asDouble);
  putBytes(w, 4, e.spanId);
  putBytes(w, 5, e.traceId);
  if (e.asDouble === undefined && e.asInt !== undefined) putFixed64Always(w, 6, e.asInt);
  putAttributes(w, 7, e.filteredAttributes);
  w.end(field);
}
