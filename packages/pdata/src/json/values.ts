import { PdataError } from '../errors.js';

/*
 * Reading OTLP/JSON scalars with the proto3 JSON rules: 64-bit integers as
 * strings or numbers, doubles as numbers or "NaN" / "Infinity" / "-Infinity",
 * bytes as base64 (standard or URL-safe, padding optional), trace and span ids
 * as hex, enums as integers or names, null as the default. Every error names
 * the JSON path of the value.
 */

export type JsonObject = Record<string, unknown>;

/** The JSON path being read, kept as a stack of keys and indexes. */
export class JsonPath {
  readonly parts: (string | number)[] = [];

  toString(): string {
    let s = '';
    for (const p of this.parts) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
    return s === '' ? '$' : s;
  }

  fail(message: string): never {
    const path = this.toString();
    throw new PdataError('ERR_PDATA_JSON', `${path}: ${message}`, -1, path);
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** lowerCamelCase form of a key; keys without '_' are returned as they are. */
export function camel(k: string): string {
  if (k.indexOf('_') < 0) return k;
  return k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

export function asObject(p: JsonPath, v: unknown): JsonObject {
  if (!isObject(v)) p.fail(`expected an object, got ${describe(v)}`);
  return v;
}

/** A repeated field: null is empty. */
export function asArray(p: JsonPath, v: unknown): unknown[] {
  if (v === null) return [];
  if (!Array.isArray(v)) p.fail(`expected an array, got ${describe(v)}`);
  return v;
}

export function str(p: JsonPath, v: unknown): string {
  if (v === null) return '';
  if (typeof v !== 'string') p.fail(`expected a string, got ${describe(v)}`);
  return v;
}

export function bool(p: JsonPath, v: unknown): boolean {
  if (v === null) return false;
  if (typeof v !== 'boolean') p.fail(`expected a boolean, got ${describe(v)}`);
  return v;
}

const INT_RE = /^-?\d+$/;

function integer(p: JsonPath, v: unknown, what: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) p.fail(`expected ${what}, got ${v}`);
    return v;
  }
  if (typeof v === 'string' && INT_RE.test(v)) return Number(v);
  return p.fail(`expected ${what}, got ${describe(v)}`);
}

export function uint32(p: JsonPath, v: unknown): number {
  if (v === null) return 0;
  const n = integer(p, v, 'a uint32');
  if (n < 0 || n > 0xffffffff) p.fail(`${n} is out of the uint32 range`);
  return n;
}

export function int32(p: JsonPath, v: unknown): number {
  if (v === null) return 0;
  const n = integer(p, v, 'an int32');
  if (n < -0x80000000 || n > 0x7fffffff) p.fail(`${n} is out of the int32 range`);
  return n;
}

/** An enum: integer, numeric string or one of the value names. */
export function enumValue(p: JsonPath, v: unknown, names: ReadonlyMap<string, number>): number {
  if (typeof v === 'string' && !INT_RE.test(v)) {
    const n = names.get(v);
    if (n === undefined) p.fail(`unknown enum value ${JSON.stringify(v)}`);
    return n;
  }
  return int32(p, v);
}

export function enumNames(prefix: string, values: Record<string, number>): ReadonlyMap<string, number> {
  return new Map(Object.entries(values).map(([k, n]) => [`${prefix}${k}`, n]));
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function big(p: JsonPath, v: unknown, what: string): bigint {
  if (typeof v === 'string' && INT_RE.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return p.fail(`expected ${what} (a decimal string or an integer), got ${describe(v)}`);
}

/** uint64 / fixed64 */
export function uint64(p: JsonPath, v: unknown): bigint {
  if (v === null) return 0n;
  const n = big(p, v, 'a uint64');
  if (n < 0n || n > U64_MAX) p.fail(`${n} is out of the uint64 range`);
  return n;
}

/** int64 / sfixed64 */
export function int64(p: JsonPath, v: unknown): bigint {
  if (v === null) return 0n;
  const n = big(p, v, 'an int64');
  if (n < I64_MIN || n > I64_MAX) p.fail(`${n} is out of the int64 range`);
  return n;
}

export function double(p: JsonPath, v: unknown): number {
  if (v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const t = v.trim();
    if (t !== '' && t === v) {
      const n = Number(t);
      if (!Number.isNaN(n)) return n;
    }
  }
  return p.fail(`expected a number, got ${describe(v)}`);
}

const B64_RE = /^[A-Za-z0-9+/\-_]*={0,2}$/;

export function base64(p: JsonPath, v: unknown): Uint8Array {
  if (v === null) return new Uint8Array(0);
  if (typeof v !== 'string') p.fail(`expected a base64 string, got ${describe(v)}`);
  if (!B64_RE.test(v) || v.replace(/=+$/, '').length % 4 === 1) p.fail('invalid base64');
  return new Uint8Array(Buffer.from(v, 'base64'));
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** A trace (16 bytes) or span (8 bytes) id, or empty: case-insensitive hex, not base64. */
export function hexId(p: JsonPath, v: unknown, size: 16 | 8): Uint8Array {
  if (v === null) return new Uint8Array(0);
  if (typeof v !== 'string') p.fail(`expected a hex string, got ${describe(v)}`);
  if (v.length % 2 !== 0) p.fail(`hex id has an odd length ${v.length}`);
  // As the protobuf path (and the Collector): nothing else decodes to an id.
  if (v.length !== 0 && v.length !== 2 * size) p.fail(`${v.length / 2} bytes, must be ${size} or empty`);
  const out = new Uint8Array(v.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(v.charCodeAt(2 * i));
    const lo = hexDigit(v.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0)
      p.fail(`invalid hex id ${JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}...` : v)}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}
