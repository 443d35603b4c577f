import { PdataError } from '../errors.js';
import type { WireWriter } from '../internal/wire-writer.js';
import type { AnyValue, EntityRef, InstrumentationScope, KeyValue, Resource } from '../model.js';
import { MAX_DEPTH } from './read.js';

/*
 * Encoders write fields in field-number order and leave out proto3 defaults
 * (empty strings and bytes, zero numbers, false, empty repeated fields), the
 * canonical form other OTLP encoders produce. Present message fields, oneof
 * members and proto3 `optional` fields are written even when empty or zero.
 * A missing (undefined) property is treated as its default.
 */

const WT_VARINT = 0;
const WT_I64 = 1;
const WT_LEN = 2;
const WT_I32 = 5;

export function putString(w: WireWriter, field: number, s: string | undefined): void {
  if (s) w.stringField(field, s);
}

export function putBytes(w: WireWriter, field: number, b: Uint8Array | undefined): void {
  if (b !== undefined && b.length > 0) w.bytesField(field, b);
}

/** uint32 */
export function putUint32(w: WireWriter, field: number, v: number | undefined): void {
  if (v) {
    w.tag(field, WT_VARINT);
    w.varint32(v);
  }
}

/** int32 and enums (negative values take ten bytes). */
export function putInt32(w: WireWriter, field: number, v: number | undefined): void {
  if (v) {
    w.tag(field, WT_VARINT);
    w.int32(v);
  }
}

export function putSint32(w: WireWriter, field: number, v: number | undefined): void {
  if (v) {
    w.tag(field, WT_VARINT);
    w.varint32(((v << 1) ^ (v >> 31)) >>> 0);
  }
}

export function putBool(w: WireWriter, field: number, v: boolean | undefined): void {
  if (v) {
    w.tag(field, WT_VARINT);
    w.varint32(1);
  }
}

export function putFixed32(w: WireWriter, field: number, v: number | undefined): void {
  if (v) {
    w.tag(field, WT_I32);
    w.fixed32(v);
  }
}

/** fixed64 / sfixed64 when not zero. */
export function putFixed64(w: WireWriter, field: number, v: bigint | undefined): void {
  if (v) {
    w.tag(field, WT_I64);
    w.fixed64(v);
  }
}

/** fixed64 / sfixed64 always (oneof members). */
export function putFixed64Always(w: WireWriter, field: number, v: bigint): void {
  w.tag(field, WT_I64);
  w.fixed64(v);
}

/** A plain double: left out when +0 (but -0 is kept, as its bits are not zero). */
export function putDouble(w: WireWriter, field: number, v: number | undefined): void {
  if (v !== undefined && (v !== 0 || Object.is(v, -0))) {
    w.tag(field, WT_I64);
    w.double(v);
  }
}

/** A double that has presence (oneof member or proto3 optional): written when defined. */
export function putDoubleIfDefined(w: WireWriter, field: number, v: number | undefined): void {
  if (v !== undefined) {
    w.tag(field, WT_I64);
    w.double(v);
  }
}

export function putInt64(w: WireWriter, field: number, v: bigint): void {
  w.tag(field, WT_VARINT);
  if (v >= 0n && v < 0x100000000n) w.varint32(Number(v));
  else w.varint64(BigInt.asUintN(64, v));
}

/** packed repeated fixed64 */
export function putPackedFixed64(w: WireWriter, field: number, vs: readonly bigint[] | undefined): void {
  if (vs === undefined || vs.length === 0) return;
  w.tag(field, WT_LEN);
  w.varint32(vs.length * 8);
  for (const v of vs) w.fixed64(v);
}

/** packed repeated double */
export function putPackedDouble(w: WireWriter, field: number, vs: readonly number[] | undefined): void {
  if (vs === undefined || vs.length === 0) return;
  w.tag(field, WT_LEN);
  w.varint32(vs.length * 8);
  for (const v of vs) w.double(v);
}

/** packed repeated uint64 (varints) */
export function putPackedUint64(w: WireWriter, field: number, vs: readonly bigint[] | undefined): void {
  if (vs === undefined || vs.length === 0) return;
  w.begin();
  for (const v of vs) {
    if (v >= 0n && v < 0x100000000n) w.varint32(Number(v));
    else w.varint64(BigInt.asUintN(64, v));
  }
  w.end(field);
}

function tooDeep(): never {
  throw new PdataError(
    'ERR_PDATA_INVALID',
    `AnyValue nested deeper than ${MAX_DEPTH} levels`,
    -1,
    'AnyValue',
  );
}

/** An AnyValue message body (the first defined oneof member). */
export function putAnyValue(w: WireWriter, field: number, v: AnyValue, depth: number): void {
  if (depth > MAX_DEPTH) tooDeep();
  w.begin();
  if (v.stringValue !== undefined) {
    w.stringField(1, v.stringValue);
  } else if (v.boolValue !== undefined) {
    w.tag(2, WT_VARINT);
    w.varint32(v.boolValue ? 1 : 0);
  } else if (v.intValue !== undefined) {
    putInt64(w, 3, v.intValue);
  } else if (v.doubleValue !== undefined) {
    putDoubleIfDefined(w, 4, v.doubleValue);
  } else if (v.arrayValue !== undefined) {
    w.begin();
    for (const item of v.arrayValue.values ?? []) putAnyValue(w, 1, item, depth + 1);
    w.end(5);
  } else if (v.kvlistValue !== undefined) {
    w.begin();
    for (const kv of v.kvlistValue.values ?? []) putKeyValue(w, 1, kv, depth + 1);
    w.end(6);
  } else if (v.bytesValue !== undefined) {
    w.bytesField(7, v.bytesValue);
  } else if (v.stringValueStrindex !== undefined) {
    w.tag(8, WT_VARINT);
    w.int32(v.stringValueStrindex);
  }
  w.end(field);
}

export function putKeyValue(w: WireWriter, field: number, kv: KeyValue, depth = 0): void {
  w.begin();
  putString(w, 1, kv.key);
  if (kv.value !== undefined) putAnyValue(w, 2, kv.value, depth);
  putInt32(w, 3, kv.keyStrindex);
  w.end(field);
}

export function putAttributes(w: WireWriter, field: number, attrs: readonly KeyValue[] | undefined): void {
  if (attrs === undefined) return;
  for (let i = 0; i < attrs.length; i++) putKeyValue(w, field, attrs[i]!, 0);
}

export function putScope(w: WireWriter, field: number, s: InstrumentationScope | undefined): void {
  if (s === undefined) return;
  w.begin();
  putString(w, 1, s.name);
  putString(w, 2, s.version);
  putAttributes(w, 3, s.attributes);
  putUint32(w, 4, s.droppedAttributesCount);
  w.end(field);
}

export function putResource(w: WireWriter, field: number, r: Resource | undefined): void {
  if (r === undefined) return;
  w.begin();
  putAttributes(w, 1, r.attributes);
  putUint32(w, 2, r.droppedAttributesCount);
  if (r.entityRefs !== undefined) for (const e of r.entityRefs) putEntityRef(w, 3, e);
  w.end(field);
}

function putEntityRef(w: WireWriter, field: number, e: EntityRef): void {
  w.begin();
  putString(w, 1, e.schemaUrl);
  putString(w, 2, e.type);
  for (const k of e.idKeys ?? []) w.stringField(3, k);
  for (const k of e.descriptionKeys ?? []) w.stringField(4, k);
  w.end(field);
}
