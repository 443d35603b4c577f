import { PdataError } from '../errors.js';
import type {
  AnyValue,
  EntityRef,
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
  HistogramDataPoint,
  InstrumentationScope,
  KeyValue,
  LogRecord,
  Metric,
  NumberDataPoint,
  Resource,
  Span,
  SummaryDataPoint,
} from '../model.js';
import { MAX_DEPTH } from '../codec/read.js';

/*
 * OTLP/JSON writer (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * lowerCamelCase keys, trace and span ids as hex, other bytes as base64, enums
 * as integers, 64-bit integers as decimal strings, proto3 defaults left out.
 * Oneof members, proto3 `optional` fields and present messages are always
 * written. The text is built directly (no intermediate objects).
 */

/** A JSON object under construction: `{` already written; `sep` says whether a comma is due. */
class Obj {
  sep = false;
  constructor(public out: string) {}
  key(k: string): void {
    this.out += this.sep ? `,"${k}":` : `"${k}":`;
    this.sep = true;
  }
  str(k: string, v: string | undefined): void {
    if (v) {
      this.key(k);
      this.out += JSON.stringify(v);
    }
  }
  num(k: string, v: number | undefined): void {
    if (v) {
      this.key(k);
      this.out += String(v);
    }
  }
  bool(k: string, v: boolean | undefined): void {
    if (v) {
      this.key(k);
      this.out += 'true';
    }
  }
  /** int64 family as a decimal string. */
  big(k: string, v: bigint | undefined): void {
    if (v) {
      this.key(k);
      this.out += `"${v}"`;
    }
  }
  hex(k: string, v: Uint8Array | undefined): void {
    if (v !== undefined && v.length > 0) {
      this.key(k);
      this.out += `"${toHex(v)}"`;
    }
  }
  b64(k: string, v: Uint8Array | undefined): void {
    if (v !== undefined && v.length > 0) {
      this.key(k);
      this.out += `"${toBase64(v)}"`;
    }
  }
  /** A double that is written when non-default (+0 is the default; -0 is kept). */
  dbl(k: string, v: number | undefined): void {
    if (v !== undefined && (v !== 0 || Object.is(v, -0))) {
      this.key(k);
      this.out += jsonDouble(v);
    }
  }
  /** A double with presence: written whenever defined. */
  dblPresent(k: string, v: number | undefined): void {
    if (v !== undefined) {
      this.key(k);
      this.out += jsonDouble(v);
    }
  }
}

export function jsonDouble(v: number): string {
  if (Number.isFinite(v)) return Object.is(v, -0) ? '-0' : String(v);
  if (Number.isNaN(v)) return '"NaN"';
  return v > 0 ? '"Infinity"' : '"-Infinity"';
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

function list<T>(
  o: Obj,
  k: string,
  items: readonly T[] | undefined,
  write: (out: string, item: T) => string,
): void {
  if (items === undefined || items.length === 0) return;
  o.key(k);
  let out = o.out + '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out = write(out, items[i]!);
  }
  o.out = out + ']';
}

function anyValue(out: string, v: AnyValue, depth: number): string {
  if (depth > MAX_DEPTH)
    throw new PdataError(
      'ERR_PDATA_INVALID',
      `AnyValue nested deeper than ${MAX_DEPTH} levels`,
      -1,
      'AnyValue',
    );
  if (v.stringValue !== undefined) return `${out}{"stringValue":${JSON.stringify(v.stringValue)}}`;
  if (v.boolValue !== undefined) return `${out}{"boolValue":${v.boolValue ? 'true' : 'false'}}`;
  if (v.intValue !== undefined) return `${out}{"intValue":"${v.intValue}"}`;
  if (v.doubleValue !== undefined) return `${out}{"doubleValue":${jsonDouble(v.doubleValue)}}`;
  if (v.arrayValue !== undefined) {
    const o = new Obj(`${out}{"arrayValue":{`);
    list(o, 'values', v.arrayValue.values, (s, item) => anyValue(s, item, depth + 1));
    return `${o.out}}}`;
  }
  if (v.kvlistValue !== undefined) {
    const o = new Obj(`${out}{"kvlistValue":{`);
    list(o, 'values', v.kvlistValue.values, (s, kv) => keyValue(s, kv, depth + 1));
    return `${o.out}}}`;
  }
  if (v.bytesValue !== undefined) return `${out}{"bytesValue":"${toBase64(v.bytesValue)}"}`;
  if (v.stringValueStrindex !== undefined) return `${out}{"stringValueStrindex":${v.stringValueStrindex}}`;
  return `${out}{}`;
}

function keyValue(out: string, kv: KeyValue, depth: number): string {
  const o = new Obj(`${out}{`);
  o.str('key', kv.key);
  if (kv.value !== undefined) {
    o.key('value');
    o.out = anyValue(o.out, kv.value, depth);
  }
  o.num('keyStrindex', kv.keyStrindex);
  return `${o.out}}`;
}

function attrs(out: string, kv: KeyValue): string {
  return keyValue(out, kv, 0);
}

function resource(o: Obj, r: Resource | undefined): void {
  if (r === undefined) return;
  o.key('resource');
  const ro = new Obj(`${o.out}{`);
  list(ro, 'attributes', r.attributes, attrs);
  ro.num('droppedAttributesCount', r.droppedAttributesCount);
  list(ro, 'entityRefs', r.entityRefs, entityRef);
  o.out = `${ro.out}}`;
}

function entityRef(out: string, e: EntityRef): string {
  const o = new Obj(`${out}{`);
  o.str('schemaUrl', e.schemaUrl);
  o.str('type', e.type);
  list(o, 'idKeys', e.idKeys, (s, k) => s + JSON.stringify(k));
  list(o, 'descriptionKeys', e.descriptionKeys, (s, k) => s + JSON.stringify(k));
  return `${o.out}}`;
}

function scope(o: Obj, s: InstrumentationScope | undefined): void {
  if (s === undefined) return;
  o.key('scope');
  const so = new Obj(`${o.out}{`);
  so.str('name', s.name);
  so.str('version', s.version);
  list(so, 'attributes', s.attributes, attrs);
  so.num('droppedAttributesCount', s.droppedAttributesCount);
  o.out = `${so.out}}`;
}

/** Resource-level and scope-level wrappers, identical in shape for the three signals. */
function envelope<R, S, I>(
  out: string,
  topKey: string,
  resources: readonly R[] | undefined,
  scopeKey: string,
  itemKey: string,
  get: (r: R) => { resource?: Resource; scopes?: readonly S[]; schemaUrl?: string },
  getScope: (s: S) => { scope?: InstrumentationScope; items?: readonly I[]; schemaUrl?: string },
  item: (out: string, i: I) => string,
): string {
  const top = new Obj(`${out}{`);
  list(top, topKey, resources, (s, rAny) => {
    const r = get(rAny);
    const ro = new Obj(`${s}{`);
    resource(ro, r.resource);
    list(ro, scopeKey, r.scopes, (s2, sAny) => {
      const sc = getScope(sAny);
      const so = new Obj(`${s2}{`);
      scope(so, sc.scope);
      list(so, itemKey, sc.items, item);
      so.str('schemaUrl', sc.schemaUrl);
      return `${so.out}}`;
    });
    ro.str('schemaUrl', r.schemaUrl);
    return `${ro.out}}`;
  });
  return `${top.out}}`;
}

export function traceRequestToJson(req: ExportTraceServiceRequest): string {
  return envelope(
    '',
    'resourceSpans',
    req.resourceSpans,
    'scopeSpans',
    'spans',
    (r) => ({ resource: r.resource, scopes: r.scopeSpans, schemaUrl: r.schemaUrl }),
    (s) => ({ scope: s.scope, items: s.spans, schemaUrl: s.schemaUrl }),
    span,
  );
}

function span(out: string, s: Span): string {
  const o = new Obj(`${out}{`);
  o.hex('traceId', s.traceId);
  o.hex('spanId', s.spanId);
  o.str('traceState', s.traceState);
  o.hex('parentSpanId', s.parentSpanId);
  o.num('flags', s.flags);
  o.str('name', s.name);
  o.num('kind', s.kind);
  o.big('startTimeUnixNano', s.startTimeUnixNano);
  o.big('endTimeUnixNano', s.endTimeUnixNano);
  list(o, 'attributes', s.attributes, attrs);
  o.num('droppedAttributesCount', s.droppedAttributesCount);
  list(o, 'events', s.events, (x, e) => {
    const eo = new Obj(`${x}{`);
    eo.big('timeUnixNano', e.timeUnixNano);
    eo.str('name', e.name);
    list(eo, 'attributes', e.attributes, attrs);
    eo.num('droppedAttributesCount', e.droppedAttributesCount);
    return `${eo.out}}`;
  });
  o.num('droppedEventsCount', s.droppedEventsCount);
  list(o, 'links', s.links, (x, l) => {
    const lo = new Obj(`${x}{`);
    lo.hex('traceId', l.traceId);
    lo.hex('spanId', l.spanId);
    lo.str('traceState', l.traceState);
    list(lo, 'attributes', l.attributes, attrs);
    lo.num('droppedAttributesCount', l.droppedAttributesCount);
    lo.num('flags', l.flags);
    return `${lo.out}}`;
  });
  o.num('droppedLinksCount', s.droppedLinksCount);
  if (s.status !== undefined) {
    o.key('status');
    const so = new Obj(`${o.out}{`);
    so.str('message', s.status.message);
    so.num('code', s.status.code);
    o.out = `${so.out}}`;
  }
  return `${o.out}}`;
}

export function logsRequestToJson(req: ExportLogsServiceRequest): string {
  return envelope(
    '',
    'resourceLogs',
    req.resourceLogs,
    'scopeLogs',
    'logRecords',
    (r) => ({ resource: r.resource, scopes: r.scopeLogs, schemaUrl: r.schemaUrl }),
    (s) => ({ scope: s.scope, items: s.logRecords, schemaUrl: s.schemaUrl }),
    logRecord,
  );
}

function logRecord(out: string, l: LogRecord): string {
  const o = new Obj(`${out}{`);
  o.big('timeUnixNano', l.timeUnixNano);
  o.big('observedTimeUnixNano', l.observedTimeUnixNano);
  o.num('severityNumber', l.severityNumber);
  o.str('severityText', l.severityText);
  if (l.body !== undefined) {
    o.key('body');
    o.out = anyValue(o.out, l.body, 0);
  }
  list(o, 'attributes', l.attributes, attrs);
  o.num('droppedAttributesCount', l.droppedAttributesCount);
  o.num('flags', l.flags);
  o.hex('traceId', l.traceId);
  o.hex('spanId', l.spanId);
  o.str('eventName', l.eventName);
  return `${o.out}}`;
}

export function metricsRequestToJson(req: ExportMetricsServiceRequest): string {
  return envelope(
    '',
    'resourceMetrics',
    req.resourceMetrics,
    'scopeMetrics',
    'metrics',
    (r) => ({ resource: r.resource, scopes: r.scopeMetrics, schemaUrl: r.schemaUrl }),
    (s) => ({ scope: s.scope, items: s.metrics, schemaUrl: s.schemaUrl }),
    metric,
  );
}

function metric(out: string, m: Metric): string {
  const o = new Obj(`${out}{`);
  o.str('name', m.name);
  o.str('description', m.description);
  o.str('unit', m.unit);
  if (m.gauge !== undefined) {
    o.key('gauge');
    const d = new Obj(`${o.out}{`);
    list(d, 'dataPoints', m.gauge.dataPoints, numberDataPoint);
    o.out = `${d.out}}`;
  } else if (m.sum !== undefined) {
    o.key('sum');
    const d = new Obj(`${o.out}{`);
    list(d, 'dataPoints', m.sum.dataPoints, numberDataPoint);
    d.num('aggregationTemporality', m.sum.aggregationTemporality);
    d.bool('isMonotonic', m.sum.isMonotonic);
    o.out = `${d.out}}`;
  } else if (m.histogram !== undefined) {
    o.key('histogram');
    const d = new Obj(`${o.out}{`);
    list(d, 'dataPoints', m.histogram.dataPoints, histogramDataPoint);
    d.num('aggregationTemporality', m.histogram.aggregationTemporality);
    o.out = `${d.out}}`;
  } else if (m.exponentialHistogram !== undefined) {
    o.key('exponentialHistogram');
    const d = new Obj(`${o.out}{`);
    list(d, 'dataPoints', m.exponentialHistogram.dataPoints, expDataPoint);
    d.num('aggregationTemporality', m.exponentialHistogram.aggregationTemporality);
    o.out = `${d.out}}`;
  } else if (m.summary !== undefined) {
    o.key('summary');
    const d = new Obj(`${o.out}{`);
    list(d, 'dataPoints', m.summary.dataPoints, summaryDataPoint);
    o.out = `${d.out}}`;
  }
  list(o, 'metadata', m.metadata, attrs);
  return `${o.out}}`;
}

function numberDataPoint(out: string, dp: NumberDataPoint): string {
  const o = new Obj(`${out}{`);
  list(o, 'attributes', dp.attributes, attrs);
  o.big('startTimeUnixNano', dp.startTimeUnixNano);
  o.big('timeUnixNano', dp.timeUnixNano);
  if (dp.asDouble !== undefined) o.dblPresent('asDouble', dp.asDouble);
  else if (dp.asInt !== undefined) {
    o.key('asInt');
    o.out += `"${dp.asInt}"`;
  }
  list(o, 'exemplars', dp.exemplars, exemplar);
  o.num('flags', dp.flags);
  return `${o.out}}`;
}

function histogramDataPoint(out: string, dp: HistogramDataPoint): string {
  const o = new Obj(`${out}{`);
  list(o, 'attributes', dp.attributes, attrs);
  o.big('startTimeUnixNano', dp.startTimeUnixNano);
  o.big('timeUnixNano', dp.timeUnixNano);
  o.big('count', dp.count);
  o.dblPresent('sum', dp.sum);
  list(o, 'bucketCounts', dp.bucketCounts, (s, c) => `${s}"${c}"`);
  list(o, 'explicitBounds', dp.explicitBounds, (s, b) => s + jsonDouble(b));
  list(o, 'exemplars', dp.exemplars, exemplar);
  o.num('flags', dp.flags);
  o.dblPresent('min', dp.min);
  o.dblPresent('max', dp.max);
  return `${o.out}}`;
}

function expDataPoint(out: string, dp: ExponentialHistogramDataPoint): string {
  const o = new Obj(`${out}{`);
  list(o, 'attributes', dp.attributes, attrs);
  o.big('startTimeUnixNano', dp.startTimeUnixNano);
  o.big('timeUnixNano', dp.timeUnixNano);
  o.big('count', dp.count);
  o.dblPresent('sum', dp.sum);
  o.num('scale', dp.scale);
  o.big('zeroCount', dp.zeroCount);
  buckets(o, 'positive', dp.positive);
  buckets(o, 'negative', dp.negative);
  o.num('flags', dp.flags);
  list(o, 'exemplars', dp.exemplars, exemplar);
  o.dblPresent('min', dp.min);
  o.dblPresent('max', dp.max);
  o.dbl('zeroThreshold', dp.zeroThreshold);
  return `${o.out}}`;
}

function buckets(o: Obj, k: string, b: ExponentialHistogramBuckets | undefined): void {
  if (b === undefined) return;
  o.key(k);
  const bo = new Obj(`${o.out}{`);
  bo.num('offset', b.offset);
  list(bo, 'bucketCounts', b.bucketCounts, (s, c) => `${s}"${c}"`);
  o.out = `${bo.out}}`;
}

function summaryDataPoint(out: string, dp: SummaryDataPoint): string {
  const o = new Obj(`${out}{`);
  list(o, 'attributes', dp.attributes, attrs);
  o.big('startTimeUnixNano', dp.startTimeUnixNano);
  o.big('timeUnixNano', dp.timeUnixNano);
  o.big('count', dp.count);
  o.dbl('sum', dp.sum);
  list(o, 'quantileValues', dp.quantileValues, (s, q) => {
    const qo = new Obj(`${s}{`);
    qo.dbl('quantile', q.quantile);
    qo.dbl('value', q.value);
    return `${qo.out}}`;
  });
  o.num('flags', dp.flags);
  return `${o.out}}`;
}

function exemplar(out: string, e: Exemplar): string {
  const o = new Obj(`${out}{`);
  list(o, 'filteredAttributes', e.filteredAttributes, attrs);
  o.big('timeUnixNano', e.timeUnixNano);
  if (e.asDouble !== undefined) o.dblPresent('asDouble', e.asDouble);
  else if (e.asInt !== undefined) {
    o.key('asInt');
    o.out += `"${e.asInt}"`;
  }
  o.hex('spanId', e.spanId);
  o.hex('traceId', e.traceId);
  return `${o.out}}`;
}
