import { createHash } from 'node:crypto';
import { F_RESOURCE } from './layout.js';
import { F_ATTRIBUTES } from './resource-attrs.js';
import { WIRE_LEN, WireReader } from './wire-reader.js';
import { varintSize } from './wire-writer.js';

/**
 * Walks the resource attributes of one resource-level message in place: every
 * field of every `resource` occurrence (protobuf merges repeated occurrences),
 * with the attribute's key and value as offset ranges into the buffer. Nothing
 * is allocated per attribute: a resource may hold millions of them (issue 17:
 * 1M attributes in 9 MB cost 40x their bytes when each was an object with
 * views), so callers look at the ranges and copy only what they keep.
 *
 * Reading validates each KeyValue the way a full read does (wire types,
 * lengths), with the same field names in errors.
 */
export class ResourceFieldCursor {
  /** The whole current field, tag included. */
  fieldStart = 0;
  fieldEnd = 0;
  /** Whether the current field is an attribute (else another Resource field, copied as it is). */
  isAttr = false;
  /** The KeyValue payload (attributes only). */
  kvStart = 0;
  kvEnd = 0;
  /** The last key / value field's payload (protobuf: the last occurrence wins); empty when absent. */
  keyStart = 0;
  keyEnd = 0;
  valueStart = 0;
  valueEnd = 0;
  /** The bytes of the `resource` fields passed so far (tags included), so callers know the rest's size. */
  resourceBytes = 0;

  private readonly r: WireReader;
  private rlPos = 0;
  private rlEnd = 0;
  private resPos = 0;
  private resEnd = 0;

  constructor(
    readonly buf: Uint8Array,
    private readonly rlName: string,
  ) {
    this.r = new WireReader(buf);
  }

  /** Starts over on the resource-level payload [start, end). */
  reset(start: number, end: number): this {
    this.rlPos = start;
    this.rlEnd = end;
    this.resPos = 0;
    this.resEnd = 0;
    this.resourceBytes = 0;
    return this;
  }

  /** Moves to the next Resource field; false at the end of the resource-level message. */
  next(): boolean {
    const r = this.r;
    while (this.resPos >= this.resEnd) {
      if (!this.nextResource()) return false;
    }
    r.pos = this.resPos;
    r.end = this.resEnd;
    r.field = 'Resource';
    this.fieldStart = r.pos;
    const t = r.tag();
    if (t >>> 3 !== F_ATTRIBUTES) {
      r.skip(t);
      this.isAttr = false;
      this.fieldEnd = this.resPos = r.pos;
      return true;
    }
    r.field = 'Resource.attributes';
    r.expect(t, WIRE_LEN, r.field);
    const kvEnd = r.lengthEnd();
    this.isAttr = true;
    this.kvStart = r.pos;
    this.kvEnd = kvEnd;
    this.keyStart = this.keyEnd = this.valueStart = this.valueEnd = kvEnd;
    r.end = kvEnd;
    while (r.pos < kvEnd) {
      r.field = 'KeyValue';
      const t2 = r.tag();
      const fn = t2 >>> 3;
      if (fn === 1) {
        r.field = 'KeyValue.key';
        r.expect(t2, WIRE_LEN, r.field);
        this.keyEnd = r.lengthEnd();
        this.keyStart = r.pos;
        r.pos = this.keyEnd;
      } else if (fn === 2) {
        r.field = 'KeyValue.value';
        r.expect(t2, WIRE_LEN, r.field);
        this.valueEnd = r.lengthEnd();
        this.valueStart = r.pos;
        r.pos = this.valueEnd;
      } else r.skip(t2);
    }
    this.fieldEnd = this.resPos = kvEnd;
    return true;
  }

  /** Whether the current attribute's key is `key`. */
  keyIs(key: Uint8Array): boolean {
    const n = this.keyEnd - this.keyStart;
    if (n !== key.length) return false;
    const buf = this.buf;
    const s = this.keyStart;
    for (let i = 0; i < n; i++) if (buf[s + i] !== key[i]) return false;
    return true;
  }

  /** The field's size when written with a one-byte tag and a minimal length, as edits write attributes. */
  framedSize(): number {
    const n = this.kvEnd - this.kvStart;
    return 1 + varintSize(n) + n;
  }

  /** Whether the source bytes of the attribute are already framed that way (so a run of them copies as one). */
  isMinimallyFramed(): boolean {
    return this.fieldEnd - this.fieldStart === this.framedSize();
  }

  private nextResource(): boolean {
    const r = this.r;
    while (this.rlPos < this.rlEnd) {
      const fStart = this.rlPos;
      r.pos = this.rlPos;
      r.end = this.rlEnd;
      r.field = this.rlName;
      const t = r.tag();
      if (t >>> 3 !== F_RESOURCE) {
        r.skip(t);
        this.rlPos = r.pos;
        continue;
      }
      r.field = `${this.rlName}.resource`;
      r.expect(t, WIRE_LEN, r.field);
      this.resEnd = r.lengthEnd();
      this.resPos = r.pos;
      this.rlPos = this.resEnd;
      this.resourceBytes += this.resEnd - fStart;
      return true;
    }
    return false;
  }
}

/**
 * Copies src[start, end) to out at pos; returns the end. Short ranges are
 * copied byte by byte: a subarray view per range would be an object per
 * attribute again.
 */
export function copyRange(src: Uint8Array, start: number, end: number, out: Uint8Array, pos: number): number {
  const n = end - start;
  if (n > 64) out.set(src.subarray(start, end), pos);
  else for (let i = 0; i < n; i++) out[pos + i] = src[start + i]!;
  return pos + n;
}

/**
 * A stable hash (SHA-1 hex) of the resource attributes of the resource-level
 * payload [start, end), insensitive to their order: each attribute's key and
 * AnyValue payload bytes, sorted (by key, then value), each preceded by their
 * two lengths as uint32 LE. The ranges live in typed arrays sized by a
 * counting pass (16 bytes per attribute, which takes at least 4 bytes of the
 * request), and the bytes reach the hash through one scratch buffer.
 */
export function hashResourceAttributes(c: ResourceFieldCursor, start: number, end: number): string {
  let n = 0;
  for (c.reset(start, end); c.next();) if (c.isAttr) n++;
  const ranges = new Int32Array(n * 4);
  let i = 0;
  for (c.reset(start, end); c.next();) {
    if (!c.isAttr) continue;
    ranges[i++] = c.keyStart;
    ranges[i++] = c.keyEnd;
    ranges[i++] = c.valueStart;
    ranges[i++] = c.valueEnd;
  }
  const buf = c.buf;
  const order = new Uint32Array(n);
  for (let j = 0; j < n; j++) order[j] = j;
  sortIndices(order, (a, b) => {
    const x = a * 4;
    const y = b * 4;
    return (
      compareRanges(buf, ranges[x]!, ranges[x + 1]!, ranges[y]!, ranges[y + 1]!) ||
      compareRanges(buf, ranges[x + 2]!, ranges[x + 3]!, ranges[y + 2]!, ranges[y + 3]!)
    );
  });
  const h = createHash('sha1');
  const scratch = new Uint8Array(SCRATCH_BYTES);
  const dv = new DataView(scratch.buffer);
  let pos = 0;
  const put = (s: number, e: number): void => {
    if (e - s > SCRATCH_BYTES - pos) {
      h.update(scratch.subarray(0, pos));
      pos = 0;
      if (e - s > SCRATCH_BYTES) {
        h.update(buf.subarray(s, e));
        return;
      }
    }
    pos = copyRange(buf, s, e, scratch, pos);
  };
  for (let j = 0; j < n; j++) {
    const x = order[j]! * 4;
    if (SCRATCH_BYTES - pos < 8) {
      h.update(scratch.subarray(0, pos));
      pos = 0;
    }
    dv.setUint32(pos, ranges[x + 1]! - ranges[x]!, true);
    dv.setUint32(pos + 4, ranges[x + 3]! - ranges[x + 2]!, true);
    pos += 8;
    put(ranges[x]!, ranges[x + 1]!);
    put(ranges[x + 2]!, ranges[x + 3]!);
  }
  h.update(scratch.subarray(0, pos));
  return h.digest('hex');
}

const SCRATCH_BYTES = 64 * 1024;

/**
 * Sorts `a` by `cmp`: a bottom-up merge sort with one typed scratch array (4
 * bytes per element). TypedArray.prototype.sort with a comparator copies the
 * elements into untyped work arrays first, which took as much again as the
 * ranges themselves.
 */
function sortIndices(a: Uint32Array, cmp: (x: number, y: number) => number): void {
  const n = a.length;
  if (n < 2) return;
  let src: Uint32Array = a;
  let dst: Uint32Array = new Uint32Array(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = cmp(src[i]!, src[j]!) <= 0 ? src[i++]! : src[j++]!;
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    [src, dst] = [dst, src];
  }
  if (src !== a) a.set(src);
}

function compareRanges(buf: Uint8Array, as: number, ae: number, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const d = buf[as + i]! - buf[bs + i]!;
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

/**
 * The AnyValue payload of the first resource attribute named `key` in the
 * resource-level payload [start, end), as [start, end) offsets, or undefined.
 * The whole message is read, so a malformed attribute after the match is
 * still an error, as when every attribute was read.
 */
export function findResourceAttribute(
  c: ResourceFieldCursor,
  start: number,
  end: number,
  key: Uint8Array,
): readonly [number, number] | undefined {
  let found: readonly [number, number] | undefined;
  for (c.reset(start, end); c.next();)
    if (!found && c.isAttr && c.keyIs(key)) found = [c.valueStart, c.valueEnd];
  return found;
}
