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

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}

const textEncoder = new TextEncoder();
