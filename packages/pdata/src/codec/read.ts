import { WIRE_FIXED64, WIRE_VARINT, type WireReader } from '../internal/wire-reader.js';

/*
 * Scalar readers shared by the message decoders. They work on the WireReader's
 * public position and bounds; every length is checked by the reader before use.
 */

export const T_VARINT = WIRE_VARINT;
export const T_I64 = WIRE_FIXED64;

/** Field names of one message, indexed by field number (for errors and unknown-field detection). */
export interface MessageInfo {
  readonly name: string;
  readonly fields: readonly (string | undefined)[];
}

export function messageInfo(name: string, fields: Record<number, string>): MessageInfo {
  const arr: (string | undefined)[] = [];
  for (const [n, f] of Object.entries(fields)) arr[Number(n)] = `${name}.${f}`;
  return { name, fields: arr };
}

/**
 * A field whose tag matched no case: a known field with a wrong wire type is
 * an error, anything else is skipped (forward compatibility).
 */
export function otherField(r: WireReader, tag: number, info: MessageInfo): void {
  const name = info.fields[tag >>> 3];
  if (name !== undefined) {
    r.field = name;
    r.fail('ERR_PDATA_WIRE_TYPE', `wire type ${tag & 7} is wrong for ${name}`);
  }
  r.skip(tag);
}

/** Enters a nested message: reads its length prefix, narrows the reader; returns the outer end. */
export function enter(r: WireReader): number {
  const outer = r.end;
  r.end = r.lengthEnd();
  return outer;
}

export const MAX_DEPTH = 64;

let nodeBufSource: Uint8Array | undefined;
let nodeBuf: Buffer | undefined;

/** A Buffer over the same memory (no copy), cached for the input being decoded. */
function bufferOf(buf: Uint8Array): Buffer {
  if (nodeBufSource !== buf || nodeBuf === undefined) {
    nodeBuf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    nodeBufSource = buf;
  }
  return nodeBuf;
}

/** Drops the cached views so a decoded input is not kept alive by this module. */
export function releaseViews(): void {
  nodeBufSource = undefined;
  nodeBuf = undefined;
  viewBuf = undefined;
  view = undefined;
}

/**
 * A string field. Buffer's UTF-8 decoding is the fastest for the short strings
 * OTLP is full of, keeps a leading U+FEFF, and replaces invalid UTF-8 with U+FFFD.
 */
export function readString(r: WireReader): string {
  const end = r.lengthEnd();
  const start = r.pos;
  r.pos = end;
  if (end === start) return '';
  return bufferOf(r.buf).toString('utf8', start, end);
}

/** A copy of a bytes field (decoded objects never alias the input buffer). */
export function readBytes(r: WireReader): Uint8Array {
  const end = r.lengthEnd();
  const out = r.buf.slice(r.pos, end);
  r.pos = end;
  return out;
}

/** A varint as a boolean (any non-zero value is true), without a bigint. */
export function readBool(r: WireReader): boolean {
  const buf = r.buf;
  let pos = r.pos;
  let nonZero = false;
  for (let i = 0; i < 10; i++) {
    if (pos >= r.end) r.fail('ERR_PDATA_TRUNCATED', 'truncated varint');
    const b = buf[pos++]!;
    if ((b & 0x7f) !== 0) nonZero = true;
    if (b < 0x80) {
      r.pos = pos;
      return nonZero;
    }
  }
  return r.fail('ERR_PDATA_VARINT', 'varint longer than 10 bytes');
}

/** int32 / enum: the low 32 bits of the varint, signed. */
export function readInt32(r: WireReader): number {
  return r.varint32() | 0;
}

export function readSint32(r: WireReader): number {
  const n = r.varint32();
  return (n >>> 1) ^ -(n & 1);
}

/** int64 as a signed bigint. */
export function readInt64(r: WireReader): bigint {
  const buf = r.buf;
  const p = r.pos;
  // Fast path: a one-byte varint (small non-negative values).
  if (p < r.end && buf[p]! < 0x80) {
    r.pos = p + 1;
    return BigInt(buf[p]!);
  }
  return BigInt.asIntN(64, r.varint64());
}

export function readUint64(r: WireReader): bigint {
  const buf = r.buf;
  const p = r.pos;
  if (p < r.end && buf[p]! < 0x80) {
    r.pos = p + 1;
    return BigInt(buf[p]!);
  }
  return r.varint64();
}

let viewBuf: Uint8Array | undefined;
let view: DataView | undefined;

function dataView(buf: Uint8Array): DataView {
  if (viewBuf !== buf || view === undefined) {
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    viewBuf = buf;
  }
  return view;
}

export function readFixed64(r: WireReader): bigint {
  if (r.end - r.pos < 8) r.fail('ERR_PDATA_TRUNCATED', 'truncated fixed64');
  const v = dataView(r.buf).getBigUint64(r.pos, true);
  r.pos += 8;
  return v;
}

export function readSfixed64(r: WireReader): bigint {
  if (r.end - r.pos < 8) r.fail('ERR_PDATA_TRUNCATED', 'truncated sfixed64');
  const v = dataView(r.buf).getBigInt64(r.pos, true);
  r.pos += 8;
  return v;
}

export function readDouble(r: WireReader): number {
  if (r.end - r.pos < 8) r.fail('ERR_PDATA_TRUNCATED', 'truncated double');
  const v = dataView(r.buf).getFloat64(r.pos, true);
  r.pos += 8;
  return v;
}

/** repeated fixed64, packed (LEN) or one value per tag. */
export function readRepeatedFixed64(r: WireReader, tag: number, out: bigint[]): void {
  if ((tag & 7) === T_I64) {
    out.push(readFixed64(r));
    return;
  }
  const end = r.lengthEnd();
  if ((end - r.pos) % 8 !== 0)
    r.fail('ERR_PDATA_LENGTH', `packed fixed64 length ${end - r.pos} is not a multiple of 8`);
  const dv = dataView(r.buf);
  for (let p = r.pos; p < end; p += 8) out.push(dv.getBigUint64(p, true));
  r.pos = end;
}

/** repeated double, packed (LEN) or one value per tag. */
export function readRepeatedDouble(r: WireReader, tag: number, out: number[]): void {
  if ((tag & 7) === T_I64) {
    out.push(readDouble(r));
    return;
  }
  const end = r.lengthEnd();
  if ((end - r.pos) % 8 !== 0)
    r.fail('ERR_PDATA_LENGTH', `packed double length ${end - r.pos} is not a multiple of 8`);
  const dv = dataView(r.buf);
  for (let p = r.pos; p < end; p += 8) out.push(dv.getFloat64(p, true));
  r.pos = end;
}

/** repeated uint64 (varint), packed (LEN) or one value per tag. */
export function readRepeatedUint64(r: WireReader, tag: number, out: bigint[]): void {
  if ((tag & 7) === T_VARINT) {
    out.push(readUint64(r));
    return;
  }
  const end = r.lengthEnd();
  const outer = r.end;
  r.end = end;
  while (r.pos < end) out.push(readUint64(r));
  r.end = outer;
}
