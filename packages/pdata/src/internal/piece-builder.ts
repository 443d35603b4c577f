import type { Framing } from './shape.js';
import { varintSize } from './wire-writer.js';

/**
 * The messages enclosing the unit being placed: entry i is the message at
 * level i + 1 (0 = the resource-level message). A message is identified by
 * its payload start in the source bytes.
 */
export class Path {
  depth = 0;
  readonly field: number[] = [];
  readonly start: number[] = [];
  readonly framing: Framing[] = [];

  push(field: number, start: number, framing: Framing): void {
    const d = this.depth++;
    this.field[d] = field;
    this.start[d] = start;
    this.framing[d] = framing;
  }

  pop(): void {
    this.depth--;
  }
}

const RAW = 0;
const OPEN = 1;

/**
 * Assembles one output request from pieces of a source request. Units (whole
 * fields of the source) are added under a path of enclosing messages; those
 * messages are opened lazily in the output, re-framed with their own framing
 * fields copied verbatim, and closed when a unit under another path arrives.
 *
 * Nothing is written until `finish()`: a tape of RAW(start, end) copies and
 * OPEN(field, length) headers is recorded, lengths patched on close, so the
 * output is written once into an exactly-sized buffer. Because sizes are
 * tracked exactly, `sizeWith` answers "how big would the request be" in
 * O(depth), which is what splitting by bytes needs.
 */
export class PieceBuilder {
  items = 0;
  private tape: number[] = [];
  private openDepth = 0;
  /** Open messages, 4 numbers each: payload start (identity), field, length so far, tape slot of the length. */
  private readonly open: number[] = [];
  private readonly openPost: (readonly number[])[] = [];
  private rootLen: number;

  constructor(
    private readonly src: Uint8Array,
    private readonly root: Framing,
  ) {
    this.rootLen = root.bytes;
  }

  /** Nothing has been added since the last finish. */
  get empty(): boolean {
    return this.tape.length === 0;
  }

  /** Closes open messages that are not on `path` (their size does not change). */
  private sync(path: Path | undefined, depth: number): void {
    let m = 0;
    if (path) while (m < this.openDepth && m < depth && this.open[m * 4] === path.start[m]) m++;
    while (this.openDepth > m) this.closeTop();
  }

  /** The encoded size of the request if a unit of `bytes` were added under the first `depth` messages of `path`. */
  sizeWith(path: Path, depth: number, bytes: number): number {
    this.sync(path, depth);
    let v = bytes;
    for (let i = depth - 1; i >= this.openDepth; i--) {
      const len = path.framing[i]!.bytes + v;
      v = varintSize((path.field[i]! << 3) | 2) + varintSize(len) + len;
    }
    const open = this.open;
    for (let i = this.openDepth - 1; i >= 0; i--) {
      const len = open[i * 4 + 2]! + v;
      v = varintSize((open[i * 4 + 1]! << 3) | 2) + varintSize(len) + len;
    }
    return this.rootLen + v;
  }

  /** Adds source bytes [start, end) (one or more whole fields) holding `items` items under `path`. */
  add(path: Path, depth: number, start: number, end: number, items: number): void {
    this.sync(path, depth);
    const tape = this.tape;
    const open = this.open;
    while (this.openDepth < depth) {
      const d = this.openDepth++;
      const framing = path.framing[d]!;
      tape.push(OPEN, path.field[d]!, 0);
      open[d * 4] = path.start[d]!;
      open[d * 4 + 1] = path.field[d]!;
      open[d * 4 + 2] = framing.bytes;
      open[d * 4 + 3] = tape.length - 1;
      this.openPost[d] = framing.post;
      const pre = framing.pre;
      for (let i = 0; i < pre.length; i += 2) this.raw(pre[i]!, pre[i + 1]!);
    }
    this.raw(start, end);
    if (depth === 0) this.rootLen += end - start;
    else open[(depth - 1) * 4 + 2]! += end - start;
    this.items += items;
  }

  private raw(start: number, end: number): void {
    const tape = this.tape;
    const n = tape.length;
    // Coalesce adjacent copies: consecutive records of one scope become one copy.
    if (n >= 3 && tape[n - 3] === RAW && tape[n - 1] === start) tape[n - 1] = end;
    else tape.push(RAW, start, end);
  }

  private closeTop(): void {
    const d = --this.openDepth;
    const post = this.openPost[d]!;
    for (let i = 0; i < post.length; i += 2) this.raw(post[i]!, post[i + 1]!);
    const open = this.open;
    const len = open[d * 4 + 2]!;
    this.tape[open[d * 4 + 3]!] = len;
    const size = varintSize((open[d * 4 + 1]! << 3) | 2) + varintSize(len) + len;
    if (d === 0) this.rootLen += size;
    else open[(d - 1) * 4 + 2]! += size;
  }

  /** Writes the request and resets the builder for the next one. */
  finish(): { bytes: Uint8Array; items: number } {
    this.sync(undefined, 0);
    const out = new Uint8Array(this.rootLen);
    const items = this.items;
    this.writeTo(out, 0);
    return { bytes: out, items };
  }

  /** The request's size once every open message is closed. */
  seal(): number {
    this.sync(undefined, 0);
    return this.rootLen;
  }

  /** Writes the sealed request at out[pos] (rootLen bytes) and resets the builder. */
  writeTo(out: Uint8Array, pos: number): number {
    const src = this.src;
    const { pre, post } = this.root;
    for (let i = 0; i < pre.length; i += 2) pos = copyRange(src, pre[i]!, pre[i + 1]!, out, pos);
    const tape = this.tape;
    for (let i = 0; i < tape.length; i += 3) {
      if (tape[i] === RAW) {
        pos = copyRange(src, tape[i + 1]!, tape[i + 2]!, out, pos);
      } else {
        pos = putVarint(out, pos, (tape[i + 1]! << 3) | 2);
        pos = putVarint(out, pos, tape[i + 2]!);
      }
    }
    for (let i = 0; i < post.length; i += 2) pos = copyRange(src, post[i]!, post[i + 1]!, out, pos);
    this.tape = [];
    this.items = 0;
    this.rootLen = this.root.bytes;
    return pos;
  }
}

/** Copies src[start, end) to out at pos; returns the new pos. Small ranges by hand: no view allocated. */
export function copyRange(src: Uint8Array, start: number, end: number, out: Uint8Array, pos: number): number {
  if (end - start < 64) {
    while (start < end) out[pos++] = src[start++]!;
    return pos;
  }
  out.set(src.subarray(start, end), pos);
  return pos + end - start;
}

export function putVarint(out: Uint8Array, pos: number, v: number): number {
  v >>>= 0;
  while (v > 0x7f) {
    out[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[pos++] = v;
  return pos;
}
