import { createHash } from 'node:crypto';
import { putVarint } from './piece-builder.js';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, WireReader } from './wire-reader.js';
import { varintSize } from './wire-writer.js';

/** Resource.attributes = 1 (KeyValue: key = 1, value = 2); AnyValue oneof fields. */
export const F_ATTRIBUTES = 1;
const ANY_STRING = 1;
const ANY_BOOL = 2;
const ANY_INT = 3;
const ANY_DOUBLE = 4;

/** One resource attribute as views into the source: the key's UTF-8 bytes and the AnyValue payload. */
export interface Attr {
  key: Uint8Array;
  value: Uint8Array;
  /** The whole KeyValue payload when unchanged (copied verbatim), else undefined. */
  payload: Uint8Array | undefined;
}

/** The parts of a Resource: its attributes, and its other fields as whole-field views. */
export interface ResourceParts {
  attrs: Attr[];
  others: Uint8Array[];
}

/**
 * Reads a Resource payload [start, end) (the reader's buffer). A ResourceX may
 * repeat its resource field; protobuf merges repeated occurrences, so callers
 * pass each payload in turn into the same `parts`.
 */
export function readResource(r: WireReader, start: number, end: number, parts: ResourceParts): void {
  const buf = r.buf;
  const saveEnd = r.end;
  r.pos = start;
  r.end = end;
  while (r.pos < end) {
    r.field = 'Resource';
    const fStart = r.pos;
    const t = r.tag();
    if (t >>> 3 !== F_ATTRIBUTES) {
      r.skip(t);
      parts.others.push(buf.subarray(fStart, r.pos));
      continue;
    }
    r.field = 'Resource.attributes';
    r.expect(t, WIRE_LEN, r.field);
    const kvEnd = r.lengthEnd();
    const kvStart = r.pos;
    let key: Uint8Array = EMPTY;
    let value: Uint8Array = EMPTY;
    r.end = kvEnd;
    while (r.pos < kvEnd) {
      r.field = 'KeyValue';
      const t2 = r.tag();
      const fn = t2 >>> 3;
      if (fn === 1) {
        r.field = 'KeyValue.key';
        r.expect(t2, WIRE_LEN, r.field);
        key = r.bytesView();
      } else if (fn === 2) {
        r.field = 'KeyValue.value';
        r.expect(t2, WIRE_LEN, r.field);
        value = r.bytesView();
      } else r.skip(t2);
    }
    r.end = end;
    parts.attrs.push({ key, value, payload: buf.subarray(kvStart, kvEnd) });
  }
  r.end = saveEnd;
}

const EMPTY = new Uint8Array(0);

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The scalar held by an AnyValue payload (the last oneof field wins), or
 * undefined for array / kvlist / bytes / unset. `src` is the buffer `value`
 * is a view of, so errors name offsets in the input.
 */
export function readScalar(
  src: Uint8Array,
  value: Uint8Array,
): string | boolean | bigint | number | undefined {
  const base = value.buffer === src.buffer ? value.byteOffset - src.byteOffset : 0;
  const r = new WireReader(src, base, base + value.length);
  if (value.buffer !== src.buffer) return readScalarAt(new WireReader(value));
  return readScalarAt(r);
}

function readScalarAt(r: WireReader): string | boolean | bigint | number | undefined {
  r.field = 'AnyValue';
  let out: string | boolean | bigint | number | undefined;
  while (!r.done()) {
    const t = r.tag();
    switch (t >>> 3) {
      case ANY_STRING:
        r.expect(t, WIRE_LEN, 'AnyValue.string_value');
        out = r.string();
        break;
      case ANY_BOOL:
        r.expect(t, WIRE_VARINT, 'AnyValue.bool_value');
        out = r.varint64() !== 0n;
        break;
      case ANY_INT:
        r.expect(t, WIRE_VARINT, 'AnyValue.int_value');
        out = BigInt.asIntN(64, r.varint64());
        break;
      case ANY_DOUBLE:
        r.expect(t, WIRE_FIXED64, 'AnyValue.double_value');
        out = r.double();
        break;
      default:
        r.skip(t);
        if (t >>> 3 <= 7) out = undefined;
    }
  }
  return out;
}

export type AttributeValue = string | number | boolean | bigint;

/** Encodes an AnyValue payload. number: integral within int64 -> int_value, else double_value. */
export function encodeAnyValue(v: AttributeValue): Uint8Array {
  if (typeof v === 'string') {
    const s = textEncoder.encode(v);
    const out = new Uint8Array(1 + varintSize(s.length) + s.length);
    out[0] = (ANY_STRING << 3) | WIRE_LEN;
    out.set(s, putVarint(out, 1, s.length));
    return out;
  }
  if (typeof v === 'boolean') return Uint8Array.of((ANY_BOOL << 3) | WIRE_VARINT, v ? 1 : 0);
  if (typeof v === 'bigint' || (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63)) {
    let u = BigInt.asUintN(64, BigInt(v));
    const bytes = [(ANY_INT << 3) | WIRE_VARINT];
    while (u > 0x7fn) {
      bytes.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    bytes.push(Number(u));
    return Uint8Array.from(bytes);
  }
  const out = new Uint8Array(9);
  out[0] = (ANY_DOUBLE << 3) | WIRE_FIXED64;
  new DataView(out.buffer).setFloat64(1, v, true);
  return out;
}

/** A KeyValue payload from key bytes and an AnyValue payload. */
export function encodeKeyValue(key: Uint8Array, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(
    2 + varintSize(key.length) + key.length + varintSize(value.length) + value.length,
  );
  out[0] = (1 << 3) | WIRE_LEN;
  let pos = putVarint(out, 1, key.length);
  out.set(key, pos);
  pos += key.length;
  out[pos++] = (2 << 3) | WIRE_LEN;
  pos = putVarint(out, pos, value.length);
  out.set(value, pos);
  return out;
}

/**
 * The Collector attributes processor's `hash` action: SHA-1 hex of the value's
 * bytes (string: UTF-8; bool: one byte; int/double: 8 bytes little-endian).
 * Other types, and the empty string, are left as they are (undefined).
 */
export function hashValue(v: string | boolean | bigint | number | undefined): string | undefined {
  let bytes: Uint8Array;
  if (typeof v === 'string') {
    if (v === '') return undefined;
    bytes = textEncoder.encode(v);
  } else if (typeof v === 'boolean') bytes = Uint8Array.of(v ? 1 : 0);
  else if (typeof v === 'bigint') {
    bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  } else if (typeof v === 'number') {
    bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, v, true);
  } else return undefined;
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * A stable hash (SHA-1 hex) of a resource's attributes, insensitive to their
 * order: each attribute's key and AnyValue payload bytes, sorted.
 */
export function hashAttributes(attrs: readonly Attr[]): string {
  const sorted = attrs.slice().sort((a, b) => compareBytes(a.key, b.key) || compareBytes(a.value, b.value));
  const h = createHash('sha1');
  const len = new Uint8Array(8);
  const dv = new DataView(len.buffer);
  for (const a of sorted) {
    dv.setUint32(0, a.key.length, true);
    dv.setUint32(4, a.value.length, true);
    h.update(len);
    h.update(a.key);
    h.update(a.value);
  }
  return h.digest('hex');
}

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}

const textEncoder = new TextEncoder();
