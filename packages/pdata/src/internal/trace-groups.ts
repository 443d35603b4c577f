import type { Signal } from '../signal.js';
import { copyRange, putVarint } from './piece-builder.js';
import { scanFraming, shapeOf, type Framing, type Shape } from './shape.js';
import { WIRE_LEN, type WireReader } from './wire-reader.js';
import { varintSize } from './wire-writer.js';

/** Span.trace_id = 1, LogRecord.trace_id = 9. */
const TRACE_ID_FIELD = { traces: 1, logs: 9 } as const;
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const wrap = (field: number, len: number): number => varintSize((field << 3) | 2) + varintSize(len) + len;

/** One output request per trace id: its bytes (all groups share one buffer) and item count. */
export interface TraceGroup {
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly items: number;
}

/**
 * Regroups records by trace id in three passes over flat arrays (no object per
 * record or per group besides the output): index every record with its scope
 * and group, size each group's request, then write all groups into one buffer.
 * Throws PdataError.
 */
export function groupRecordsByTraceId(signal: Exclude<Signal, 'metrics'>, r: WireReader): TraceGroup[] {
  const index = new TraceIndex(signal, r);
  index.index();
  return index.write(index.size());
}

class TraceIndex {
  private readonly src: Uint8Array;
  private readonly shape: Shape;
  private readonly traceField: number;
  private readonly names: {
    rl: string;
    sl: string;
    rec: string;
    slPath: string;
    recPath: string;
    idPath: string;
  };
  private readonly root: Framing;
  private readonly rlFraming: Framing[] = [];
  private readonly slFraming: Framing[] = [];
  private readonly slOfRl: number[] = [];
  // Records, in source order; recNext chains each group's records.
  private readonly recStart: number[] = [];
  private readonly recEnd: number[] = [];
  private readonly recScope: number[] = [];
  private readonly recNext: number[] = [];
  // Groups, in order of first appearance.
  private readonly head: number[] = [];
  private readonly tail: number[] = [];
  private readonly count: number[] = [];
  private readonly idStart: number[] = [];
  private readonly idEnd: number[] = [];
  private readonly ids: IdTable;
  /** Each opened message's length, in the order `write` opens them. */
  private readonly lens: number[] = [];
  private readonly sizes: number[] = [];
  private idS = 0;
  private idE = 0;

  constructor(
    signal: Exclude<Signal, 'metrics'>,
    private readonly r: WireReader,
  ) {
    this.src = r.buf;
    this.shape = shapeOf(signal);
    this.traceField = TRACE_ID_FIELD[signal];
    const [, rl, sl, rec] = this.shape.names as [string, string, string, string];
    this.names = { rl, sl, rec, slPath: `${rl}.${sl}`, recPath: `${sl}.${rec}`, idPath: `${rec}.trace_id` };
    this.root = scanFraming(r, this.shape, 0, 0, this.src.length);
    this.ids = new IdTable(this.src);
  }

  index(): void {
    const r = this.r;
    const end = this.src.length;
    let pos = 0;
    while (pos < end) {
      r.pos = pos;
      r.end = end;
      r.field = 'request';
      const t = r.tag();
      if (t >>> 3 !== 1) {
        r.skip(t);
        pos = r.pos;
        continue;
      }
      r.field = this.names.rl;
      r.expect(t, WIRE_LEN, r.field);
      const rlEnd = r.lengthEnd();
      this.indexResource(r.pos, rlEnd);
      pos = rlEnd;
    }
  }

  private indexResource(start: number, end: number): void {
    const r = this.r;
    const rl = this.rlFraming.push(scanFraming(r, this.shape, 1, start, end)) - 1;
    let pos = start;
    while (pos < end) {
      r.pos = pos;
      r.end = end;
      r.field = this.names.rl;
      const t = r.tag();
      if (t >>> 3 !== 2) {
        r.skip(t);
        pos = r.pos;
        continue;
      }
      r.field = this.names.slPath;
      r.expect(t, WIRE_LEN, r.field);
      const slEnd = r.lengthEnd();
      this.indexScope(rl, r.pos, slEnd);
      pos = slEnd;
    }
  }

  private indexScope(rl: number, start: number, end: number): void {
    const r = this.r;
    const sl = this.slFraming.push(scanFraming(r, this.shape, 2, start, end)) - 1;
    this.slOfRl.push(rl);
    let pos = start;
    while (pos < end) {
      r.pos = pos;
      r.end = end;
      r.field = this.names.sl;
      const t = r.tag();
      if (t >>> 3 !== 2) {
        r.skip(t);
        pos = r.pos;
        continue;
      }
      r.field = this.names.recPath;
      r.expect(t, WIRE_LEN, r.field);
      const recEnd = r.lengthEnd();
      this.findTraceId(r.pos, recEnd);
      this.addRecord(pos, recEnd, sl);
      pos = recEnd;
    }
  }

  /**
   * The record's trace id into idS / idE (empty when absent). The first
   * occurrence is taken and the scan stops there: encoders write trace_id once
   * (for spans, first), and a record that repeats it only chooses its own group.
   */
  private findTraceId(start: number, end: number): void {
    const r = this.r;
    const field = this.traceField;
    const rec = this.names.rec;
    r.pos = start;
    r.end = end;
    this.idS = this.idE = 0;
    while (r.pos < end) {
      r.field = rec;
      const t = r.tag();
      if (t >>> 3 !== field) {
        r.skip(t);
        continue;
      }
      r.field = this.names.idPath;
      r.expect(t, WIRE_LEN, r.field);
      this.idE = r.lengthEnd();
      this.idS = r.pos;
      return;
    }
  }

  private addRecord(start: number, end: number, sl: number): void {
    let g = this.ids.find(this.idS, this.idE);
    if (g < 0) {
      g = this.head.length;
      this.ids.add(this.idS, this.idE, g);
      this.head.push(-1);
      this.tail.push(-1);
      this.count.push(0);
      this.idStart.push(this.idS);
      this.idEnd.push(this.idE);
    }
    const k = this.recStart.push(start) - 1;
    this.recEnd.push(end);
    this.recScope.push(sl);
    this.recNext.push(-1);
    if (this.head[g]! < 0) this.head[g] = k;
    else this.recNext[this.tail[g]!] = k;
    this.tail[g] = k;
    this.count[g]!++;
  }

  /** Sizes every group's request, recording the lengths of the messages it opens; returns the total. */
  size(): number {
    const { lens, recNext, recScope, recStart, recEnd, slOfRl, rlFraming, slFraming } = this;
    let total = 0;
    for (let g = 0; g < this.head.length; g++) {
      let size = this.root.bytes;
      let curRl = -1;
      let curSl = -1;
      let rlSlot = 0;
      let slSlot = 0;
      let rlLen = 0;
      let slLen = 0;
      for (let k = this.head[g]!; k >= 0; k = recNext[k]!) {
        const sl = recScope[k]!;
        if (sl !== curSl) {
          if (curSl >= 0) {
            lens[slSlot] = slLen;
            rlLen += wrap(2, slLen);
          }
          const rl = slOfRl[sl]!;
          if (rl !== curRl) {
            if (curRl >= 0) {
              lens[rlSlot] = rlLen;
              size += wrap(1, rlLen);
            }
            curRl = rl;
            rlSlot = lens.push(0) - 1;
            rlLen = rlFraming[rl]!.bytes;
          }
          curSl = sl;
          slSlot = lens.push(0) - 1;
          slLen = slFraming[sl]!.bytes;
        }
        slLen += recEnd[k]! - recStart[k]!;
      }
      lens[slSlot] = slLen;
      rlLen += wrap(2, slLen);
      lens[rlSlot] = rlLen;
      size += wrap(1, rlLen);
      this.sizes.push(size);
      total += size;
    }
    return total;
  }

  /** Writes every group into one buffer of `total` bytes. */
  write(total: number): TraceGroup[] {
    const { src, lens, recNext, recScope, recStart, recEnd, slOfRl, rlFraming, slFraming, root } = this;
    const out = new Uint8Array(total);
    const groups: TraceGroup[] = [];
    let w = 0;
    let li = 0;
    const copyAll = (ranges: readonly number[]): void => {
      for (let i = 0; i < ranges.length; i += 2) w = copyRange(src, ranges[i]!, ranges[i + 1]!, out, w);
    };
    for (let g = 0; g < this.head.length; g++) {
      const start = w;
      copyAll(root.pre);
      let curRl = -1;
      let curSl = -1;
      let from = 0;
      let to = 0;
      for (let k = this.head[g]!; k >= 0; k = recNext[k]!) {
        const sl = recScope[k]!;
        if (sl !== curSl) {
          if (curSl >= 0) {
            w = copyRange(src, from, to, out, w);
            copyAll(slFraming[curSl]!.post);
          }
          const rl = slOfRl[sl]!;
          if (rl !== curRl) {
            if (curRl >= 0) copyAll(rlFraming[curRl]!.post);
            curRl = rl;
            out[w++] = (1 << 3) | 2;
            w = putVarint(out, w, lens[li++]!);
            copyAll(rlFraming[rl]!.pre);
          }
          curSl = sl;
          out[w++] = (2 << 3) | 2;
          w = putVarint(out, w, lens[li++]!);
          copyAll(slFraming[sl]!.pre);
          from = to = recStart[k]!;
        }
        // Records adjacent in the source are copied together.
        if (recStart[k] !== to) {
          w = copyRange(src, from, to, out, w);
          from = recStart[k]!;
        }
        to = recEnd[k]!;
      }
      w = copyRange(src, from, to, out, w);
      copyAll(slFraming[curSl]!.post);
      copyAll(rlFraming[curRl]!.post);
      copyAll(root.post);
      let key = '';
      for (let i = this.idStart[g]!; i < this.idEnd[g]!; i++) key += HEX[src[i]!];
      groups.push({ key, bytes: out.subarray(start, w), items: this.count[g]! });
    }
    return groups;
  }
}

/**
 * Open-addressing hash table from id bytes (ranges of `src`) to group index:
 * no Map, no key strings on the per-record path.
 */
class IdTable {
  private slots = new Int32Array(256).fill(-1);
  private starts: number[] = [];
  private ends: number[] = [];
  private hashes: number[] = [];
  private size = 0;
  private lastHash = 0;

  constructor(private readonly src: Uint8Array) {}

  /** The group of id bytes [s, e), or -1 (then `add` may follow for the same bytes). */
  find(s: number, e: number): number {
    const src = this.src;
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ src[i]!, 0x01000193);
    this.lastHash = h;
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const g = this.slots[i]!;
      if (g < 0) return -1;
      if (this.hashes[g] === h && sameBytes(src, this.starts[g]!, this.ends[g]!, s, e)) return g;
    }
  }

  /** Adds id bytes [s, e) as group g (g = number of groups so far), right after a failed find. */
  add(s: number, e: number, g: number): void {
    this.starts.push(s);
    this.ends.push(e);
    this.hashes.push(this.lastHash);
    if (++this.size * 2 > this.slots.length) this.grow();
    else this.place(g);
  }

  private place(g: number): void {
    const mask = this.slots.length - 1;
    let i = this.hashes[g]! & mask;
    while (this.slots[i]! >= 0) i = (i + 1) & mask;
    this.slots[i] = g;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let g = 0; g < this.size; g++) this.place(g);
  }
}

function sameBytes(buf: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (; a < aEnd; a++, b++) if (buf[a] !== buf[b]) return false;
  return true;
}
