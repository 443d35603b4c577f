import {
  AggregationTemporality,
  type Exemplar,
  type ExponentialHistogramBuckets,
  type ExponentialHistogramDataPoint,
  type ExportMetricsServiceRequest,
  type HistogramDataPoint,
  type Metric,
  type NumberDataPoint,
  type SummaryDataPoint,
  type ValueAtQuantile,
} from '../model.js';
import { attributes, readEnvelopes, repeated } from './read-common.js';
import {
  type JsonPath,
  asObject,
  bool,
  camel,
  double,
  enumNames,
  enumValue,
  hexId,
  int32,
  int64,
  str,
  uint32,
  uint64,
} from './values.js';

const TEMPORALITY = enumNames('AGGREGATION_TEMPORALITY_', AggregationTemporality);

export function metricsRequestFromJson(p: JsonPath, v: unknown): ExportMetricsServiceRequest {
  const envs = readEnvelopes(p, v, 'resourceMetrics', 'scopeMetrics', 'metrics', readMetric);
  return {
    resourceMetrics: envs.map((e) => ({
      resource: e.resource,
      scopeMetrics: e.scopes.map((s) => ({ scope: s.scope, metrics: s.items, schemaUrl: s.schemaUrl })),
      schemaUrl: e.schemaUrl,
    })),
  };
}

const DATA_KEYS = new Set(['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']);

function readMetric(p: JsonPath, v: unknown): Metric {
  const o = asObject(p, v);
  const m: Metric = { name: '', description: '', unit: '', metadata: [] };
  let member: string | undefined;
  for (const k in o) {
    const x = o[k];
    const ck = camel(k);
    p.parts.push(k);
    if (DATA_KEYS.has(ck) && x !== null) {
      if (member !== undefined) p.fail(`Metric has both ${member} and ${ck}`);
      member = ck;
    }
    switch (ck) {
      case 'name':
        m.name = str(p, x);
        break;
      case 'description':
        m.description = str(p, x);
        break;
      case 'unit':
        m.unit = str(p, x);
        break;
      case 'metadata':
        m.metadata = attributes(p, x);
        break;
      case 'gauge':
        if (x !== null) m.gauge = { dataPoints: readData(p, x, readNumberDataPoint).dataPoints };
        break;
      case 'sum':
        if (x !== null) m.sum = readData(p, x, readNumberDataPoint);
        break;
      case 'histogram': {
        if (x === null) break;
        const d = readData(p, x, readHistogramDataPoint);
        m.histogram = { dataPoints: d.dataPoints, aggregationTemporality: d.aggregationTemporality };
        break;
      }
      case 'exponentialHistogram': {
        if (x === null) break;
        const d = readData(p, x, readExpDataPoint);
        m.exponentialHistogram = {
          dataPoints: d.dataPoints,
          aggregationTemporality: d.aggregationTemporality,
        };
        break;
      }
      case 'summary':
        if (x !== null) m.summary = { dataPoints: readData(p, x, readSummaryDataPoint).dataPoints };
        break;
    }
    p.parts.pop();
  }
  return m;
}

/** Gauge / Sum / Histogram / ExponentialHistogram / Summary share these keys; each type keeps its own. */
function readData<D>(
  p: JsonPath,
  v: unknown,
  readPoint: (p: JsonPath, v: unknown) => D,
): { dataPoints: D[]; aggregationTemporality: number; isMonotonic: boolean } {
  const o = asObject(p, v);
  const d = { dataPoints: [] as D[], aggregationTemporality: 0, isMonotonic: false };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'dataPoints':
        d.dataPoints = repeated(p, x, readPoint);
        break;
      case 'aggregationTemporality':
        d.aggregationTemporality = x === null ? 0 : enumValue(p, x, TEMPORALITY);
        break;
      case 'isMonotonic':
        d.isMonotonic = bool(p, x);
        break;
    }
    p.parts.pop();
  }
  return d;
}

function readNumberDataPoint(p: JsonPath, v: unknown): NumberDataPoint {
  const o = asObject(p, v);
  const dp: NumberDataPoint = {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    exemplars: [],
    flags: 0,
  };
  readPointCommon(p, o, dp, (ck, x) => {
    if (ck === 'exemplars') dp.exemplars = repeated(p, x, readExemplar);
    else if (ck === 'asDouble' || ck === 'asInt') readNumberValue(p, ck, x, dp);
  });
  return dp;
}

/** asDouble / asInt oneof of NumberDataPoint and Exemplar. */
function readNumberValue(
  p: JsonPath,
  ck: string,
  x: unknown,
  t: { asDouble?: number; asInt?: bigint },
): void {
  if (x === null) return;
  if (t.asDouble !== undefined || t.asInt !== undefined) p.fail('both asDouble and asInt are set');
  if (ck === 'asDouble') t.asDouble = double(p, x);
  else t.asInt = int64(p, x);
}

/** attributes, startTimeUnixNano, timeUnixNano and flags; other keys go to `other`. */
function readPointCommon(
  p: JsonPath,
  o: Record<string, unknown>,
  dp: { attributes: unknown; startTimeUnixNano: bigint; timeUnixNano: bigint; flags: number },
  other: (camelKey: string, x: unknown) => void,
): void {
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    const ck = camel(k);
    switch (ck) {
      case 'attributes':
        dp.attributes = attributes(p, x);
        break;
      case 'startTimeUnixNano':
        dp.startTimeUnixNano = uint64(p, x);
        break;
      case 'timeUnixNano':
        dp.timeUnixNano = uint64(p, x);
        break;
      case 'flags':
        dp.flags = uint32(p, x);
        break;
      default:
        other(ck, x);
    }
    p.parts.pop();
  }
}

function readHistogramDataPoint(p: JsonPath, v: unknown): HistogramDataPoint {
  const o = asObject(p, v);
  const dp: HistogramDataPoint = {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    bucketCounts: [],
    explicitBounds: [],
    exemplars: [],
    flags: 0,
  };
  readPointCommon(p, o, dp, (ck, x) => {
    switch (ck) {
      case 'count':
        dp.count = uint64(p, x);
        break;
      case 'sum':
        if (x !== null) dp.sum = double(p, x);
        break;
      case 'bucketCounts':
        dp.bucketCounts = repeated(p, x, uint64);
        break;
      case 'explicitBounds':
        dp.explicitBounds = repeated(p, x, double);
        break;
      case 'exemplars':
        dp.exemplars = repeated(p, x, readExemplar);
        break;
      case 'min':
        if (x !== null) dp.min = double(p, x);
        break;
      case 'max':
        if (x !== null) dp.max = double(p, x);
        break;
    }
  });
  return dp;
}

function readExpDataPoint(p: JsonPath, v: unknown): ExponentialHistogramDataPoint {
  const o = asObject(p, v);
  const dp: ExponentialHistogramDataPoint = {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    scale: 0,
    zeroCount: 0n,
    flags: 0,
    exemplars: [],
    zeroThreshold: 0,
  };
  readPointCommon(p, o, dp, (ck, x) => {
    switch (ck) {
      case 'count':
        dp.count = uint64(p, x);
        break;
      case 'sum':
        if (x !== null) dp.sum = double(p, x);
        break;
      case 'scale':
        dp.scale = int32(p, x);
        break;
      case 'zeroCount':
        dp.zeroCount = uint64(p, x);
        break;
      case 'positive':
        if (x !== null) dp.positive = readBuckets(p, x);
        break;
      case 'negative':
        if (x !== null) dp.negative = readBuckets(p, x);
        break;
      case 'exemplars':
        dp.exemplars = repeated(p, x, readExemplar);
        break;
      case 'min':
        if (x !== null) dp.min = double(p, x);
        break;
      case 'max':
        if (x !== null) dp.max = double(p, x);
        break;
      case 'zeroThreshold':
        dp.zeroThreshold = double(p, x);
        break;
    }
  });
  return dp;
}

function readBuckets(p: JsonPath, v: unknown): ExponentialHistogramBuckets {
  const o = asObject(p, v);
  const b: ExponentialHistogramBuckets = { offset: 0, bucketCounts: [] };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    const ck = camel(k);
    if (ck === 'offset') b.offset = int32(p, x);
    else if (ck === 'bucketCounts') b.bucketCounts = repeated(p, x, uint64);
    p.parts.pop();
  }
  return b;
}

function readSummaryDataPoint(p: JsonPath, v: unknown): SummaryDataPoint {
  const o = asObject(p, v);
  const dp: SummaryDataPoint = {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: 0,
    quantileValues: [],
    flags: 0,
  };
  readPointCommon(p, o, dp, (ck, x) => {
    if (ck === 'count') dp.count = uint64(p, x);
    else if (ck === 'sum') dp.sum = double(p, x);
    else if (ck === 'quantileValues') dp.quantileValues = repeated(p, x, readQuantile);
  });
  return dp;
}

function readQuantile(p: JsonPath, v: unknown): ValueAtQuantile {
  const o = asObject(p, v);
  const q: ValueAtQuantile = { quantile: 0, value: 0 };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    const ck = camel(k);
    if (ck === 'quantile') q.quantile = double(p, x);
    else if (ck === 'value') q.value = double(p, x);
    p.parts.pop();
  }
  return q;
}

function readExemplar(p: JsonPath, v: unknown): Exemplar {
  const o = asObject(p, v);
  const e: Exemplar = {
    filteredAttributes: [],
    timeUnixNano: 0n,
    spanId: new Uint8Array(0),
    traceId: new Uint8Array(0),
  };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    const ck = camel(k);
    switch (ck) {
      case 'filteredAttributes':
        e.filteredAttributes = attributes(p, x);
        break;
      case 'timeUnixNano':
        e.timeUnixNano = uint64(p, x);
        break;
      case 'asDouble':
      case 'asInt':
        readNumberValue(p, ck, x, e);
        break;
      case 'spanId':
        e.spanId = hexId(p, x, 8);
        break;
      case 'traceId':
        e.traceId = hexId(p, x, 16);
        break;
    }
    p.parts.pop();
  }
  return e;
}
