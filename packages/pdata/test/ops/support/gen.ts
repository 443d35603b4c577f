/**
 * fast-check arbitraries for OTLP requests of the three signals, written with
 * our WireWriter from the OTLP field numbers. Every item gets a unique id
 * (span_id / observed_time / data point time) so tests can follow it.
 */
import fc from 'fast-check';
import { WireWriter } from '../../../src/internal/wire-writer.js';
import type { Signal } from '../../../src/signal.js';

export type Any =
  | { s: string }
  | { b: boolean }
  | { i: bigint }
  | { d: number }
  | { bytes: Uint8Array }
  | { arr: Any[] }
  | { kv: KV[] };
export type KV = [string, Any];

export interface GenResource {
  attrs: KV[];
  dropped: number;
}
export interface GenScope {
  name: string;
  version: string;
  attrs: KV[];
}
export interface GenSpan {
  traceId: Uint8Array;
  name: string;
  kind: number;
  attrs: KV[];
  events: { name: string; attrs: KV[] }[];
  status: { code: number; message: string } | undefined;
}
export interface GenLog {
  traceId: Uint8Array | undefined;
  severity: number;
  body: Any;
  attrs: KV[];
}
export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
export interface GenMetric {
  name: string;
  description: string;
  unit: string;
  kind: MetricKind;
  temporality: number;
  monotonic: boolean;
  points: { attrs: KV[]; value: number; asInt: boolean; buckets: number[] }[];
  metadata: KV[];
}
export type GenItem = GenSpan | GenLog | GenMetric;
export interface GenScopeLevel {
  scope: GenScope | undefined;
  items: GenItem[];
  schemaUrl: string;
}
export interface GenResourceLevel {
  resource: GenResource | undefined;
  scopes: GenScopeLevel[];
  schemaUrl: string;
}
export interface GenRequest {
  signal: Signal;
  resources: GenResourceLevel[];
}

const text = (max: number): fc.Arbitrary<string> => fc.string({ maxLength: max, unit: 'grapheme' });
const shortText = fc.oneof(fc.constantFrom('', 'a', 'svc', 'host.name', 'ü€😀'), text(12));

const anyScalar: fc.Arbitrary<Any> = fc.oneof(
  text(40).map((s) => ({ s })),
  fc.boolean().map((b) => ({ b })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((i) => ({ i })),
  fc.double({ noNaN: true }).map((d) => ({ d })),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => ({ bytes })),
);
export const anyValue: fc.Arbitrary<Any> = fc.letrec<{ any: Any }>((tie) => ({
  any: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyScalar,
    fc.array(tie('any'), { maxLength: 3 }).map((arr) => ({ arr })),
    fc.array(fc.tuple(shortText, tie('any')), { maxLength: 3 }).map((kv) => ({ kv })),
  ),
})).any;

/** Attribute lists, sometimes with a large value so byte limits bite. */
export const attrs: fc.Arbitrary<KV[]> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(shortText, anyValue), { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(shortText, fc.string({ minLength: 100, maxLength: 600 }))
      .map(([k, s]) => [[k, { s }] as KV]),
  },
);

const traceIdPool = fc.constantFrom(
  ...Array.from({ length: 6 }, (_, i) => Uint8Array.from({ length: 16 }, (_, j) => (i * 37 + j * 11) & 0xff)),
);

const span: fc.Arbitrary<GenSpan> = fc.record({
  traceId: traceIdPool,
  name: shortText,
  kind: fc.integer({ min: 0, max: 5 }),
  attrs,
  events: fc.array(fc.record({ name: shortText, attrs }), { maxLength: 2 }),
  status: fc.option(fc.record({ code: fc.integer({ min: 0, max: 2 }), message: shortText }), {
    nil: undefined,
  }),
});

const log: fc.Arbitrary<GenLog> = fc.record({
  traceId: fc.option(traceIdPool, { nil: undefined }),
  severity: fc.integer({ min: 0, max: 24 }),
  body: anyValue,
  attrs,
});

const metric: fc.Arbitrary<GenMetric> = fc.record({
  name: shortText,
  description: shortText,
  unit: fc.constantFrom('', 'ms', 'By', '1'),
  kind: fc.constantFrom<MetricKind>('gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'),
  temporality: fc.integer({ min: 0, max: 2 }),
  monotonic: fc.boolean(),
  points: fc.array(
    fc.record({
      attrs,
      value: fc.double({ noNaN: true }),
      asInt: fc.boolean(),
      buckets: fc.array(fc.nat(1000), { maxLength: 5 }),
    }),
    { maxLength: 5 },
  ),
  metadata: fc.oneof(fc.constant<KV[]>([]), fc.array(fc.tuple(shortText, anyValue), { maxLength: 2 })),
});

const ITEM: Record<Signal, fc.Arbitrary<GenItem>> = { traces: span, logs: log, metrics: metric };

export function request(signal: Signal, maxResources = 4, maxItems = 6): fc.Arbitrary<GenRequest> {
  const scope = fc.record({ name: shortText, version: shortText, attrs });
  const scopeLevel = fc.record({
    scope: fc.option(scope, { nil: undefined, freq: 4 }),
    items: fc.array(ITEM[signal], { maxLength: maxItems }),
    schemaUrl: fc.constantFrom('', 'https://opentelemetry.io/schemas/1.26.0'),
  });
  const resource = fc.record({ attrs, dropped: fc.nat(3) });
  const resourceLevel = fc.record({
    resource: fc.option(resource, { nil: undefined, freq: 5 }),
    scopes: fc.array(scopeLevel, { maxLength: 3 }),
    schemaUrl: fc.constantFrom('', 'https://opentelemetry.io/schemas/1.21.0'),
  });
  return fc.record({
    signal: fc.constant(signal),
    resources: fc.array(resourceLevel, { maxLength: maxResources }),
  });
}

/** Any signal's request. */
export const anyRequest: fc.Arbitrary<GenRequest> = fc
  .constantFrom<Signal>('traces', 'metrics', 'logs')
  .chain((s) => request(s));

// ---- writing ----

let nextId = 1n;

/** Writes the request; items get fresh unique ids. */
export function writeRequest(req: GenRequest): Uint8Array {
  const w = new WireWriter(256);
  for (const rl of req.resources) {
    w.begin();
    if (rl.resource) {
      w.begin();
      for (const kv of rl.resource.attrs) writeKv(w, 1, kv);
      if (rl.resource.dropped) uint(w, 2, rl.resource.dropped);
      w.end(1);
    }
    for (const sl of rl.scopes) {
      w.begin();
      if (sl.scope) {
        w.begin();
        str(w, 1, sl.scope.name);
        str(w, 2, sl.scope.version);
        for (const kv of sl.scope.attrs) writeKv(w, 3, kv);
        w.end(1);
      }
      for (const item of sl.items) {
        w.begin();
        if (req.signal === 'traces') writeSpan(w, item as GenSpan);
        else if (req.signal === 'logs') writeLog(w, item as GenLog);
        else writeMetric(w, item as GenMetric);
        w.end(2);
      }
      str(w, 3, sl.schemaUrl);
      w.end(2);
    }
    str(w, 3, rl.schemaUrl);
    w.end(1);
  }
  return w.finish();
}

function str(w: WireWriter, field: number, s: string): void {
  if (s !== '') w.stringField(field, s);
}
function uint(w: WireWriter, field: number, v: number): void {
  w.tag(field, 0);
  w.varint32(v);
}
function fixed64(w: WireWriter, field: number, v: bigint): void {
  w.tag(field, 1);
  w.fixed64(v);
}
function double(w: WireWriter, field: number, v: number): void {
  w.tag(field, 1);
  w.double(v);
}

export function writeAny(w: WireWriter, v: Any): void {
  if ('s' in v) w.stringField(1, v.s);
  else if ('b' in v) {
    w.tag(2, 0);
    w.varint32(v.b ? 1 : 0);
  } else if ('i' in v) {
    w.tag(3, 0);
    w.varint64(BigInt.asUintN(64, v.i));
  } else if ('d' in v) double(w, 4, v.d);
  else if ('bytes' in v) w.bytesField(7, v.bytes);
  else if ('arr' in v) {
    w.begin();
    for (const x of v.arr) {
      w.begin();
      writeAny(w, x);
      w.end(1);
    }
    w.end(5);
  } else {
    w.begin();
    for (const kv of v.kv) writeKv(w, 1, kv);
    w.end(6);
  }
}

export function writeKv(w: WireWriter, field: number, [key, value]: KV): void {
  w.begin();
  str(w, 1, key);
  w.begin();
  writeAny(w, value);
  w.end(2);
  w.end(field);
}

function id8(): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, nextId++);
  return b;
}

function writeSpan(w: WireWriter, s: GenSpan): void {
  w.bytesField(1, s.traceId);
  w.bytesField(2, id8());
  str(w, 5, s.name);
  if (s.kind) uint(w, 6, s.kind);
  fixed64(w, 7, 1_700_000_000_000_000_000n);
  fixed64(w, 8, 1_700_000_000_100_000_000n);
  for (const kv of s.attrs) writeKv(w, 9, kv);
  for (const e of s.events) {
    w.begin();
    fixed64(w, 1, 1_700_000_000_050_000_000n);
    str(w, 2, e.name);
    for (const kv of e.attrs) writeKv(w, 3, kv);
    w.end(11);
  }
  if (s.status) {
    w.begin();
    str(w, 2, s.status.message);
    if (s.status.code) uint(w, 3, s.status.code);
    w.end(15);
  }
}

function writeLog(w: WireWriter, l: GenLog): void {
  fixed64(w, 1, 1_700_000_000_000_000_000n);
  if (l.severity) uint(w, 2, l.severity);
  w.begin();
  writeAny(w, l.body);
  w.end(5);
  for (const kv of l.attrs) writeKv(w, 6, kv);
  if (l.traceId) {
    w.bytesField(9, l.traceId);
    w.bytesField(10, id8());
  }
  fixed64(w, 11, nextId++);
}

const DATA_FIELD: Record<MetricKind, number> = {
  gauge: 5,
  sum: 7,
  histogram: 9,
  exponentialHistogram: 10,
  summary: 11,
};

function writeMetric(w: WireWriter, m: GenMetric): void {
  str(w, 1, m.name);
  str(w, 2, m.description);
  str(w, 3, m.unit);
  w.begin();
  for (const p of m.points) {
    w.begin();
    const time = nextId++;
    switch (m.kind) {
      case 'gauge':
      case 'sum':
        for (const kv of p.attrs) writeKv(w, 7, kv);
        fixed64(w, 3, time);
        if (p.asInt) {
          w.tag(6, 1);
          w.fixed64(BigInt(Number.isFinite(p.value) ? Math.trunc(p.value % 1e15) : 0));
        } else double(w, 4, p.value);
        break;
      case 'histogram':
        for (const kv of p.attrs) writeKv(w, 9, kv);
        fixed64(w, 3, time);
        fixed64(w, 4, BigInt(p.buckets.reduce((a, b) => a + b, 0)));
        double(w, 5, p.value);
        packed(
          w,
          6,
          p.buckets.map((b) => (x: WireWriter) => x.fixed64(BigInt(b))),
        );
        packed(
          w,
          7,
          p.buckets.slice(1).map((_, i) => (x: WireWriter) => x.double(i * 10)),
        );
        break;
      case 'exponentialHistogram':
        for (const kv of p.attrs) writeKv(w, 1, kv);
        fixed64(w, 3, time);
        fixed64(w, 4, BigInt(p.buckets.reduce((a, b) => a + b, 0)));
        double(w, 5, p.value);
        uint(w, 6, 6); // scale 3, zigzag
        w.begin();
        uint(w, 1, 2);
        packed(
          w,
          2,
          p.buckets.map((b) => (x: WireWriter) => x.varint32(b)),
        );
        w.end(8);
        break;
      case 'summary':
        for (const kv of p.attrs) writeKv(w, 7, kv);
        fixed64(w, 3, time);
        fixed64(w, 4, BigInt(p.buckets.length));
        double(w, 5, p.value);
        for (const [i, b] of p.buckets.entries()) {
          w.begin();
          double(w, 1, i / p.buckets.length);
          double(w, 2, b);
          w.end(6);
        }
    }
    w.end(1);
  }
  if (m.kind === 'sum' || m.kind === 'histogram' || m.kind === 'exponentialHistogram')
    if (m.temporality) uint(w, 2, m.temporality);
  if (m.kind === 'sum' && m.monotonic) uint(w, 3, 1);
  w.end(DATA_FIELD[m.kind]);
  for (const kv of m.metadata) writeKv(w, 12, kv);
}

function packed(w: WireWriter, field: number, writers: ((w: WireWriter) => void)[]): void {
  if (writers.length === 0) return;
  w.begin();
  for (const f of writers) f(w);
  w.end(field);
}

/** Total items a generated request holds. */
export function genCount(req: GenRequest): number {
  let n = 0;
  for (const rl of req.resources)
    for (const sl of rl.scopes)
      for (const it of sl.items) n += req.signal === 'metrics' ? (it as GenMetric).points.length : 1;
  return n;
}
