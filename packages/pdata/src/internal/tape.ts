import { putVarint } from './piece-builder.js';
import { varintSize } from './wire-writer.js';

/**
 * Output of a wire rewrite: a list of byte views (mostly of the source) plus
 * length-delimited messages whose header is filled in when they close, so the
 * result is assembled once into an exactly-sized buffer. Consecutive source
 * ranges are coalesced, so an unchanged run of items costs one copy.
 */
export class Tape {
  /** Byte views, or (a number) the index in `heads` of a message header written at finish. */
  private readonly parts: (Uint8Array | number)[] = [];
  /** Headers of closed messages, 2 numbers each: tag, length. */
  private readonly heads: number[] = [];
  private size = 0;
  /** Open messages, 3 numbers each: part index of the header, size at open, field number. */
  private readonly open: number[] = [];
  private pendingStart = -1;
  private pendingEnd = -1;

  constructor(private readonly src: Uint8Array) {}

  /** Copies the source range [start, end). */
  copy(start: number, end: number): void {
    if (start === end) return;
    if (this.pendingEnd === start) this.pendingEnd = end;
    else {
      this.flush();
      this.pendingStart = start;
      this.pendingEnd = end;
    }
    this.size += end - start;
  }

  /** Appends bytes that are not in the source. */
  bytes(b: Uint8Array): void {
    this.flush();
    this.parts.push(b);
    this.size += b.length;
  }

  /** Opens a length-delimited message of field `field`. */
  begin(field: number): void {
    this.flush();
    this.open.push(this.parts.length, this.size, field);
    this.parts.push(-1);
  }

  /** Closes the innermost open message, writing its tag and length. */
  end(): void {
    this.flush();
    const field = this.open.pop()!;
    const sizeAtOpen = this.open.pop()!;
    const slot = this.open.pop()!;
    const len = this.size - sizeAtOpen;
    const tag = ((field << 3) | 2) >>> 0;
    this.parts[slot] = this.heads.length;
    this.heads.push(tag, len);
    this.size += varintSize(tag) + varintSize(len);
  }

  /** Discards the innermost open message and everything written into it. */
  cancel(): void {
    this.flush();
    this.open.pop();
    this.size = this.open.pop()!;
    this.parts.length = this.open.pop()!;
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let pos = 0;
    const heads = this.heads;
    for (const p of this.parts) {
      if (typeof p === 'number') {
        pos = putVarint(out, putVarint(out, pos, heads[p]!), heads[p + 1]!);
        continue;
      }
      out.set(p, pos);
      pos += p.length;
    }
    return out;
  }

  private flush(): void {
    if (this.pendingStart < 0) return;
    this.parts.push(this.src.subarray(this.pendingStart, this.pendingEnd));
    this.pendingStart = this.pendingEnd = -1;
  }
}
