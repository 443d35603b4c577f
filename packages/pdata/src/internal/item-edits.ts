import { putKeyValue } from '../codec/encode-common.js';
import type { AnyValue } from '../model.js';
import { utf8, type AttributeValue } from './resource-attrs.js';
import { WireWriter } from './wire-writer.js';

/** One attribute edit of the item being visited. */
export interface Edit {
  readonly key: string;
  readonly keyBytes: Uint8Array;
  value: AnyValue | undefined;
  /** The whole attribute field, when cached (scalar values). */
  encoded: Uint8Array | undefined;
  emitted: boolean;
}

export function toAnyValue(v: AttributeValue | AnyValue): AnyValue {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: BigInt.asIntN(64, v) };
    case 'number':
      return Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63
        ? { intValue: BigInt(v) }
        : { doubleValue: v };
    default:
      if (typeof v !== 'object' || v === null) throw new TypeError('setAttribute: unsupported value');
      return v;
  }
}

export function encodedKeyValue(field: number, e: Edit): Uint8Array {
  if (e.encoded) return e.encoded;
  const w = new WireWriter(64);
  putKeyValue(w, field, { key: e.key, value: e.value! });
  return w.finish();
}

const scalarCache = new Map<string, Uint8Array>();
/**
 * The encoded attribute field for a scalar value. A processor sets the same
 * few key/value pairs on every item, so the encoding is cached (bounded).
 */
export function scalarKeyValue(field: number, key: string, value: AttributeValue): Uint8Array {
  const id = `${field}\u0000${typeof value}\u0000${key}\u0000${String(value)}`;
  let b = scalarCache.get(id);
  if (b === undefined) {
    const w = new WireWriter(64);
    putKeyValue(w, field, { key, value: toAnyValue(value) });
    b = w.finish();
    if (scalarCache.size >= 1024) scalarCache.clear();
    scalarCache.set(id, b);
  }
  return b;
}

const keyCache = new Map<string, Uint8Array>();
/** UTF-8 of a lookup key; keys repeat (a processor's configuration), so they are cached. */
export function keyBytes(key: string): Uint8Array {
  let b = keyCache.get(key);
  if (b === undefined) {
    b = utf8(key);
    if (keyCache.size >= 1024) keyCache.clear();
    keyCache.set(key, b);
  }
  return b;
}
