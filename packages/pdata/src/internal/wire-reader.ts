import { PdataError } from '../errors.js';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/**
 * A protobuf wire reader over a byte range. It throws PdataError on hostile
 * input; public entry points catch it and return an Err value, so no exception
 * escapes the package. Lengths are checked against the remaining bytes before
 * anything is sliced, so an attacker's length field never drives allocation.
 */
export class WireReader {
  pos: number;
  end: number;
  /** message.field path, for error messages; callers set it while reading. */
  field = '';

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  fail(code: PdataError['code'], message: string, offset = this.pos): never {
    throw new PdataError(code, message, offset, this.field);
  }

  /** Reads a tag; returns field number * 8 + wire type as one number. */
  tag(): number {
    const start = this.pos;
    const t = this.varint32();
    const wt = t & 7;
    if (t >>> 3 === 0) this.fail('ERR_PDATA_INVALID', 'field number 0', start);
    if (wt === 3 || wt === 4 || wt > 5)
      this.fail('ERR_PDATA_WIRE_TYPE', `unsupported wire type ${wt}`, start);
    return t;
  }

  /** A varint that must fit in 32 bits (tags, lengths, enums, int32 as unsigned). */
  varint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) this.fail('ERR_PDATA_TRUNCATED', 'truncated varint');
      const b = buf[pos++]!;
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    return this.fail('ERR_PDATA_VARINT', 'varint longer than 10 bytes');
  }

  /** A full 64-bit varint as an unsigned bigint. */
  varint64(): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) this.fail('ERR_PDATA_TRUNCATED', 'truncated varint');
      const b = buf[pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (i * 7);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (i * 7 - 32);
      if (b < 0x80) {
        this.pos = pos;
        return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
      }
    }
    return this.fail('ERR_PDATA_VARINT', 'varint longer than 10 bytes');
  }

  /** Reads a length prefix and checks it against the remaining bytes; returns the end offset. */
  lengthEnd(): number {
    const start = this.pos;
    const len = this.varint32();
    // varint32 keeps the low 32 bits; a longer length must not wrap to a small one.
    if (this.pos - start > 5 || (this.pos - start === 5 && this.buf[start + 4]! > 0x0f))
      this.fail('ERR_PDATA_LENGTH', 'length does not fit in 32 bits', start);
    if (len > this.end - this.pos)
      this.fail('ERR_PDATA_LENGTH', `length ${len} exceeds the ${this.end - this.pos} bytes left`, start);
    return this.pos + len;
  }

  /** A view (no copy) of a length-delimited field's payload. */
  bytesView(): Uint8Array {
    const end = this.lengthEnd();
    const view = this.buf.subarray(this.pos, end);
    this.pos = end;
    return view;
  }

  string(): string {
    const end = this.lengthEnd();
    const s = textDecoder.decode(this.buf.subarray(this.pos, end));
    this.pos = end;
    return s;
  }

  fixed32(): number {
    if (this.end - this.pos < 4) this.fail('ERR_PDATA_TRUNCATED', 'truncated fixed32');
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  fixed64(): bigint {
    const lo = this.fixed32();
    const hi = this.fixed32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  double(): number {
    if (this.end - this.pos < 8) this.fail('ERR_PDATA_TRUNCATED', 'truncated double');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  /** Skips the payload of a field whose tag was just read. */
  skip(tag: number): void {
    switch (tag & 7) {
      case WIRE_VARINT: {
        // No BigInt: skipping is on the hot path of every wire scan.
        const buf = this.buf;
        let pos = this.pos;
        for (let i = 0; i < 10; i++) {
          if (pos >= this.end) this.fail('ERR_PDATA_TRUNCATED', 'truncated varint');
          if (buf[pos++]! < 0x80) {
            this.pos = pos;
            return;
          }
        }
        this.fail('ERR_PDATA_VARINT', 'varint longer than 10 bytes');
        return;
      }
      case WIRE_FIXED64:
        if (this.end - this.pos < 8) this.fail('ERR_PDATA_TRUNCATED', 'truncated fixed64');
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd();
        return;
      case WIRE_FIXED32:
        if (this.end - this.pos < 4) this.fail('ERR_PDATA_TRUNCATED', 'truncated fixed32');
        this.pos += 4;
        return;
      default:
        this.fail('ERR_PDATA_WIRE_TYPE', `unsupported wire type ${tag & 7}`);
    }
  }

  /** Asserts the wire type of a known field. */
  expect(tag: number, wireType: number, name: string): void {
    if ((tag & 7) !== wireType)
      this.fail('ERR_PDATA_WIRE_TYPE', `${name} has wire type ${tag & 7}, expected ${wireType}`);
  }
}

// ignoreBOM: a string value that starts with U+FEFF keeps it (the default strips it).
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
