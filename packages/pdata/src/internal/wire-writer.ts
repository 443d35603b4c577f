/**
 * A growable protobuf wire writer. Nested messages are written in place and
 * their length prefix inserted afterwards (`begin` / `end`), which keeps
 * varints minimal so our encoding is byte-identical to other encoders'.
 */
export class WireWriter {
  buf: Uint8Array;
  pos = 0;
  private readonly starts: number[] = [];
  /** A view of `buf` for doubles and 64-bit values, replaced when `buf` grows. */
  private view: DataView;

  constructor(initialSize = 1024) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    // Copy the whole buffer, not just up to pos: end() rewinds pos to write a header in front of
    // content already written, and its tag/length writes may grow the buffer there.
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** The bytes written so far (a copy, so the writer can be reused). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  tag(field: number, wireType: number): void {
    this.varint32(((field << 3) | wireType) >>> 0);
  }

  varint32(v: number): void {
    this.ensure(5);
    v >>>= 0;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  /** int32 fields: negative values are sign-extended to 10 bytes, as protobuf requires. */
  int32(v: number): void {
    if (v >= 0) this.varint32(v);
    else this.varint64(BigInt.asUintN(64, BigInt(v)));
  }

  varint64(v: bigint): void {
    this.ensure(10);
    let lo = Number(v & 0xffffffffn) >>> 0;
    let hi = Number((v >> 32n) & 0xffffffffn) >>> 0;
    while (hi > 0 || lo > 0x7f) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }

  fixed32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    b[this.pos++] = v & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = (v >>> 16) & 0xff;
    b[this.pos++] = (v >>> 24) & 0xff;
  }

  fixed64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, v), true);
    this.pos += 8;
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Raw bytes, no prefix (already-encoded fields). */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A length-delimited field from bytes. */
  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, 2);
    this.varint32(bytes.length);
    this.raw(bytes);
  }

  stringField(field: number, s: string): void {
    this.tag(field, 2);
    const n = s.length;
    if (n < 128) {
      // Short ASCII strings (keys, names) are the common case: copy the code units directly.
      this.ensure(n + 1);
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    // UTF-8 is at most 3 bytes per UTF-16 unit; encode into place, then fix the prefix.
    const max = s.length * 3;
    this.ensure(max + 5);
    const lenPos = this.pos;
    const prefix = varintSize(max);
    const { written } = textEncoder.encodeInto(s, this.buf.subarray(lenPos + prefix));
    const actual = varintSize(written);
    if (actual !== prefix) this.buf.copyWithin(lenPos + actual, lenPos + prefix, lenPos + prefix + written);
    this.varint32(written);
    this.pos = lenPos + actual + written;
  }

  /** Starts a nested message; `end(field)` closes it with its tag and length. */
  begin(): void {
    this.starts.push(this.pos);
  }

  end(field: number): void {
    const start = this.starts.pop()!;
    const len = this.pos - start;
    const header = varintSize(((field << 3) | 2) >>> 0) + varintSize(len);
    this.ensure(header);
    this.buf.copyWithin(start + header, start, this.pos);
    const contentEnd = this.pos + header;
    this.pos = start;
    this.tag(field, 2);
    this.varint32(len);
    this.pos = contentEnd;
  }
}

export function varintSize(v: number): number {
  v >>>= 0;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

const textEncoder = new TextEncoder();
