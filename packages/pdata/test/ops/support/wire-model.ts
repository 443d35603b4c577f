/**
 * A minimal protobuf reader of our own for tests, independent of the code
 * under test: it flattens an OTLP request into its items, each with the
 * framing bytes of every message enclosing it.
 */
import type { Signal } from '../../../src/signal.js';

export interface WField {
  fn: number;
  wt: number;
  /** The whole field, tag included. */
  raw: Uint8Array;
  /** LEN payload, else the value bytes. */
  payload: Uint8Array;
}

export function parseFields(buf: Uint8Array): WField[] {
  const out: WField[] = [];
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated');
      const b = buf[pos++]!;
      v += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return v;
    }
  };
  while (pos < buf.length) {
    const start = pos;
    const tag = varint();
    const fn = Math.floor(tag / 8);
    const wt = tag & 7;
    let pStart = pos;
    if (wt === 0) varint();
    else if (wt === 1) pos += 8;
    else if (wt === 5) pos += 4;
    else if (wt === 2) {
      const len = varint();
      pStart = pos;
      pos += len;
    } else throw new Error(`wire type ${wt}`);
    if (pos > buf.length) throw new Error('truncated');
    out.push({ fn, wt, raw: buf.subarray(start, pos), payload: buf.subarray(pStart, pos) });
  }
  return out;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Framing: the fields that are not children, stably sorted by field number, as hex. */
function framing(fields: WField[], isChild: (f: WField) => boolean): string {
  return fields
    .filter((f) => !isChild(f))
    .sort((a, b) => a.fn - b.fn)
    .map((f) => hex(f.raw))
    .join('');
}

const METRIC_DATA = new Set([5, 7, 9, 10, 11]);

export interface FlatEntry {
  /** Framing of the enclosing resource-level, scope-level (and Metric, Metric data) messages. */
  ctx: string[];
  /** Item payload hex, or null for a message that has no children (kept as it is). */
  item: string | null;
  /** Size of the smallest request that holds this entry with its framing. */
  size: number;
}

const vsize = (n: number): number =>
  n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
const wrap = (len: number): number => 1 + vsize(len) + len;

export function flatten(signal: Signal, bytes: Uint8Array): FlatEntry[] {
  const out: FlatEntry[] = [];
  const leafDepth = signal === 'metrics' ? 4 : 2;
  const isChild = (depth: number) => (f: WField) =>
    depth === 2 && signal === 'metrics' ? METRIC_DATA.has(f.fn) : f.fn === (depth === 3 ? 1 : 2);
  const walk = (payload: Uint8Array, depth: number, ctx: string[]): void => {
    const fields = parseFields(payload);
    const kids = fields.filter(isChild(depth));
    const fr = framing(fields, isChild(depth));
    // depth 3 (Metric data) records its field number in its framing.
    const here = depth === 3 ? `${ctx.pop()}|${fr}` : fr;
    const next = [...ctx, here];
    if (kids.length === 0) {
      out.push({ ctx: next, item: null, size: nest(next.slice(0, -1), payload.length) });
      return;
    }
    for (const k of kids) {
      if (depth === 2 && signal === 'metrics') walk(k.payload, 3, [...next, String(k.fn)]);
      else if (depth + 1 === leafDepth)
        out.push({ ctx: next, item: hex(k.payload), size: nest(next, k.payload.length) });
      else walk(k.payload, depth + 1, next);
    }
  };
  for (const f of parseFields(bytes)) if (f.fn === 1) walk(f.payload, 0, []);
  return out;
}

/** Request size of a message of payload `len` nested in messages with the given framings. */
function nest(ctx: string[], len: number): number {
  let v = wrap(len);
  for (let i = ctx.length - 1; i >= 0; i--) {
    const c = ctx[i]!;
    const fr = c.includes('|') ? c.slice(c.indexOf('|') + 1) : c;
    v = wrap(fr.length / 2 + v);
  }
  return v;
}

/** Resource attributes of each resource-level message: [key, AnyValue payload hex], and the rest as hex. */
export function resources(bytes: Uint8Array): { attrs: [string, string][]; others: string; rest: string }[] {
  return parseFields(bytes)
    .filter((f) => f.fn === 1)
    .map((rl) => {
      const fields = parseFields(rl.payload);
      const attrs: [string, string][] = [];
      const others: string[] = [];
      for (const res of fields.filter((f) => f.fn === 1))
        for (const f of parseFields(res.payload)) {
          if (f.fn !== 1) {
            others.push(hex(f.raw));
            continue;
          }
          const kv = parseFields(f.payload);
          const key = kv.find((x) => x.fn === 1);
          const value = kv.find((x) => x.fn === 2);
          attrs.push([key ? Buffer.from(key.payload).toString('utf8') : '', value ? hex(value.payload) : '']);
        }
      const rest = fields
        .filter((f) => f.fn !== 1)
        .map((f) => hex(f.raw))
        .join('');
      return { attrs, others: others.join(''), rest };
    });
}

/** The trace id (hex) of an item payload (its first trace_id field): Span field 1, LogRecord field 9. */
export function traceIdOf(signal: Signal, itemHex: string): string {
  const f = parseFields(Buffer.from(itemHex, 'hex')).filter((x) => x.fn === (signal === 'traces' ? 1 : 9));
  return f.length ? hex(f[0]!.payload) : '';
}
