import { createHash } from 'node:crypto';
import type { AnyValue, AttributeValue } from '@otlp-kafka/pdata';

/**
 * The `hash` action, as the resource processor's (pdata's hashValue): SHA-1
 * hex of the value's bytes (string: UTF-8; bool: one byte; int / double: 8
 * bytes little-endian, as the Collector). The empty string and other types
 * (bytes, arrays, maps) are left as they are (undefined).
 */
export function hashValue(v: AnyValue): string | undefined {
  let bytes: Uint8Array;
  if (v.stringValue !== undefined) {
    if (v.stringValue === '') return undefined;
    bytes = Buffer.from(v.stringValue, 'utf8');
  } else if (v.boolValue !== undefined) bytes = Uint8Array.of(v.boolValue ? 1 : 0);
  else if (v.intValue !== undefined) {
    bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, v.intValue), true);
  } else if (v.doubleValue !== undefined) {
    bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, v.doubleValue, true);
  } else return undefined;
  return createHash('sha1').update(bytes).digest('hex');
}

export type ConvertedType = 'int' | 'double' | 'string';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_INT = /^[+-]?\d+$/;
const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;

/**
 * The `convert` action, as the Collector's: the converted value, or undefined
 * when the value is already of that type or cannot be converted (then it is
 * left as it is). int: from a double (truncated toward zero), a bool (1 / 0)
 * or a decimal string within int64; double: from an int, a bool or a decimal
 * string (Go's ParseFloat, without its hex and underscore forms); string:
 * any value, as the Collector's AsString.
 */
export function convertValue(v: AnyValue, to: ConvertedType): AttributeValue | AnyValue | undefined {
  if (to === 'string') return v.stringValue !== undefined ? undefined : asString(v);
  if (to === 'int') {
    if (v.intValue !== undefined) return undefined;
    if (v.doubleValue !== undefined) {
      if (!Number.isFinite(v.doubleValue)) return undefined;
      const n = BigInt(Math.trunc(v.doubleValue));
      return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
    }
    if (v.boolValue !== undefined) return v.boolValue ? 1n : 0n;
    if (v.stringValue !== undefined && DECIMAL_INT.test(v.stringValue)) {
      const n = BigInt(v.stringValue);
      return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
    }
    return undefined;
  }
  if (v.doubleValue !== undefined) return undefined;
  if (v.intValue !== undefined) return { doubleValue: Number(v.intValue) };
  if (v.boolValue !== undefined) return { doubleValue: v.boolValue ? 1 : 0 };
  if (v.stringValue !== undefined) {
    const s = v.stringValue;
    if (DECIMAL_FLOAT.test(s)) {
      const n = Number(s);
      // Go's ParseFloat answers a range error beyond float64: the value is left.
      return Number.isFinite(n) ? { doubleValue: n } : undefined;
    }
    if (SPECIAL_FLOAT.test(s)) {
      const lower = s.toLowerCase();
      if (lower.endsWith('nan')) return { doubleValue: NaN };
      return { doubleValue: lower.startsWith('-') ? -Infinity : Infinity };
    }
  }
  return undefined;
}

/** pcommon's Value.AsString: numbers as ECMAScript (and Go's encoding/json) print them, bytes base64, arrays and maps as JSON. */
export function asString(v: AnyValue): string {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return v.intValue.toString();
  if (v.doubleValue !== undefined) return doubleAsString(v.doubleValue);
  if (v.bytesValue !== undefined) return Buffer.from(v.bytesValue).toString('base64');
  if (v.arrayValue !== undefined || v.kvlistValue !== undefined) return json(v);
  return '';
}

function doubleAsString(d: number): string {
  if (Number.isNaN(d)) return 'json: unsupported value: NaN';
  if (!Number.isFinite(d)) return `json: unsupported value: ${d > 0 ? '+Inf' : '-Inf'}`;
  return String(d);
}

/** Go's encoding/json of AsRaw(): map keys sorted, bytes base64. */
function json(v: AnyValue | undefined): string {
  if (v === undefined) return 'null';
  if (v.stringValue !== undefined) return JSON.stringify(v.stringValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return v.intValue.toString();
  if (v.doubleValue !== undefined) return Number.isFinite(v.doubleValue) ? String(v.doubleValue) : 'null';
  if (v.bytesValue !== undefined) return JSON.stringify(Buffer.from(v.bytesValue).toString('base64'));
  if (v.arrayValue !== undefined) return `[${v.arrayValue.values.map(json).join(',')}]`;
  if (v.kvlistValue !== undefined) {
    const byKey = new Map(v.kvlistValue.values.map((kv) => [kv.key, kv.value]));
    const keys = [...byKey.keys()].sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${json(byKey.get(k))}`).join(',')}}`;
  }
  return 'null';
}

/**
 * A JavaScript RegExp from a pattern as Collector configs write it: RE2's
 * `(?P<name>...)` groups are read as `(?<name>...)`, and leading `(?i)`,
 * `(?s)`, `(?m)` flags become RegExp flags. Otherwise JavaScript syntax.
 */
export function toRegExp(pattern: string): RegExp {
  let source = pattern.replaceAll('(?P<', '(?<');
  let flags = '';
  const lead = /^\(\?([ims]+)\)/.exec(source);
  if (lead) {
    flags = [...new Set(lead[1])].join('');
    source = source.slice(lead[0].length);
  }
  return new RegExp(source, flags);
}
