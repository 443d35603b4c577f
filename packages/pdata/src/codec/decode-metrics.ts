import type { WireReader } from '../internal/wire-reader.js';
import type {
  ExponentialHistogram,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  Gauge,
  Histogram,
  HistogramDataPoint,
  InstrumentationScope,
  KeyValue,
  Metric,
  NumberDataPoint,
  Resource,
  ResourceMetrics,
  ScopeMetrics,
  Sum,
  Summary,
  SummaryDataPoint,
} from '../model.js';
import { decodeKeyValue, decodeResource, decodeScope } from './decode-common.js';
import {
  decodeExpDataPoint,
  decodeHistogramDataPoint,
  decodeNumberDataPoint,
  decodeSummaryDataPoint,
} from './decode-points.js';
import { type MessageInfo, enter, messageInfo, otherField, readBool, readInt32, readString } from './read.js';

const REQUEST = messageInfo('ExportMetricsServiceRequest', { 1: 'resource_metrics' });
const RESOURCE_METRICS = messageInfo('ResourceMetrics', {
  1: 'resource',
  2: 'scope_metrics',
  3: 'schema_url',
});
const SCOPE_METRICS = messageInfo('ScopeMetrics', { 1: 'scope', 2: 'metrics', 3: 'schema_url' });
const METRIC = messageInfo('Metric', {
  1: 'name',
  2: 'description',
  3: 'unit',
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponential_histogram',
  11: 'summary',
  12: 'metadata',
});
const DATA_INFO: Record<number, MessageInfo> = {
  5: messageInfo('Gauge', { 1: 'data_points' }),
  7: messageInfo('Sum', { 1: 'data_points', 2: 'aggregation_temporality', 3: 'is_monotonic' }),
  9: messageInfo('Histogram', { 1: 'data_points', 2: 'aggregation_temporality' }),
  10: messageInfo('ExponentialHistogram', { 1: 'data_points', 2: 'aggregation_temporality' }),
  11: messageInfo('Summary', { 1: 'data_points' }),
};
export function decodeMetricsRequest(r: WireReader): ExportMetricsServiceRequest {
  const resourceMetrics: ResourceMetrics[] = [];
  while (r.pos < r.end) {
    r.field = 'ExportMetricsServiceRequest';
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) {
      r.field = 'ExportMetricsServiceRequest.resource_metrics';
      resourceMetrics.push(decodeResourceMetrics(r));
    } else otherField(r, tag, REQUEST);
  }
  return { resourceMetrics };
}

function decodeResourceMetrics(r: WireReader): ResourceMetrics {
  const outer = enter(r);
  let resource: Resource | undefined;
  const scopeMetrics: ScopeMetrics[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    r.field = 'ResourceMetrics';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'ResourceMetrics.resource';
        resource = decodeResource(r);
        break;
      case (2 << 3) | 2:
        r.field = 'ResourceMetrics.scope_metrics';
        scopeMetrics.push(decodeScopeMetrics(r));
        break;
      case (3 << 3) | 2:
        r.field = 'ResourceMetrics.schema_url';
        schemaUrl = readString(r);
        break;
      default:
        otherField(r, tag, RESOURCE_METRICS);
    }
  }
  r.end = outer;
  return { resource, scopeMetrics, schemaUrl };
}

function decodeScopeMetrics(r: WireReader): ScopeMetrics {
  const outer = enter(r);
  let scope: InstrumentationScope | undefined;
  const metrics: Metric[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    r.field = 'ScopeMetrics';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'ScopeMetrics.scope';
        scope = decodeScope(r);
        break;
      case (2 << 3) | 2:
        r.field = 'ScopeMetrics.metrics';
        metrics.push(decodeMetric(r));
        break;
      case (3 << 3) | 2:
        r.field = 'ScopeMetrics.schema_url';
        schemaUrl = readString(r);
        break;
      default:
        otherField(r, tag, SCOPE_METRICS);
    }
  }
  r.end = outer;
  return { scope, metrics, schemaUrl };
}

const D_NONE = 0;
const D_GAUGE = 5;
const D_SUM = 7;
const D_HISTOGRAM = 9;
const D_EXP = 10;
const D_SUMMARY = 11;

function decodeMetric(r: WireReader): Metric {
  const outer = enter(r);
  let name = '';
  let description = '';
  let unit = '';
  let kind = D_NONE;
  let data: unknown;
  const metadata: KeyValue[] = [];
  while (r.pos < r.end) {
    r.field = 'Metric';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'Metric.name';
        name = readString(r);
        break;
      case (2 << 3) | 2:
        r.field = 'Metric.description';
        description = readString(r);
        break;
      case (3 << 3) | 2:
        r.field = 'Metric.unit';
        unit = readString(r);
        break;
      case (5 << 3) | 2:
        r.field = 'Metric.gauge';
        kind = D_GAUGE;
        data = decodeData(r, D_GAUGE);
        break;
      case (7 << 3) | 2:
        r.field = 'Metric.sum';
        kind = D_SUM;
        data = decodeData(r, D_SUM);
        break;
      case (9 << 3) | 2:
        r.field = 'Metric.histogram';
        kind = D_HISTOGRAM;
        data = decodeData(r, D_HISTOGRAM);
        break;
      case (10 << 3) | 2:
        r.field = 'Metric.exponential_histogram';
        kind = D_EXP;
        data = decodeData(r, D_EXP);
        break;
      case (11 << 3) | 2:
        r.field = 'Metric.summary';
        kind = D_SUMMARY;
        data = decodeData(r, D_SUMMARY);
        break;
      case (12 << 3) | 2:
        r.field = 'Metric.metadata';
        metadata.push(decodeKeyValue(r));
        break;
      default:
        otherField(r, tag, METRIC);
    }
  }
  r.end = outer;
  switch (kind) {
    case D_GAUGE:
      return { name, description, unit, gauge: data as Gauge, metadata };
    case D_SUM:
      return { name, description, unit, sum: data as Sum, metadata };
    case D_HISTOGRAM:
      return { name, description, unit, histogram: data as Histogram, metadata };
    case D_EXP:
      return { name, description, unit, exponentialHistogram: data as ExponentialHistogram, metadata };
    case D_SUMMARY:
      return { name, description, unit, summary: data as Summary, metadata };
    default:
      return { name, description, unit, metadata };
  }
}

/** Gauge / Sum / Histogram / ExponentialHistogram / Summary: the same three fields, by kind. */
function decodeData(r: WireReader, kind: number): Gauge | Sum | Histogram | ExponentialHistogram | Summary {
  const outer = enter(r);
  const dataPoints: unknown[] = [];
  let aggregationTemporality = 0;
  let isMonotonic = false;
  const info = DATA_INFO[kind]!;
  while (r.pos < r.end) {
    r.field = info.name;
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) {
      r.field = info.fields[1]!;
      switch (kind) {
        case D_HISTOGRAM:
          dataPoints.push(decodeHistogramDataPoint(r));
          break;
        case D_EXP:
          dataPoints.push(decodeExpDataPoint(r));
          break;
        case D_SUMMARY:
          dataPoints.push(decodeSummaryDataPoint(r));
          break;
        default:
          dataPoints.push(decodeNumberDataPoint(r));
      }
    } else if (tag === ((2 << 3) | 0) && kind !== D_GAUGE && kind !== D_SUMMARY) {
      r.field = info.fields[2]!;
      aggregationTemporality = readInt32(r);
    } else if (tag === ((3 << 3) | 0) && kind === D_SUM) {
      r.field = 'Sum.is_monotonic';
      isMonotonic = readBool(r);
    } else otherField(r, tag, info);
  }
  r.end = outer;
  switch (kind) {
    case D_GAUGE:
      return { dataPoints: dataPoints as NumberDataPoint[] };
    case D_SUM:
      return { dataPoints: dataPoints as NumberDataPoint[], aggregationTemporality, isMonotonic };
    case D_HISTOGRAM:
      return { dataPoints: dataPoints as HistogramDataPoint[], aggregationTemporality };
    case D_EXP:
      return { dataPoints: dataPoints as ExponentialHistogramDataPoint[], aggregationTemporality };
    default:
      return { dataPoints: dataPoints as SummaryDataPoint[] };
  }
}
