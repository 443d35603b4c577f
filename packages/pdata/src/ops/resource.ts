import { Err, Ok, type Result } from 'ts-results-es';
import { trustedBatch, type Batch } from '../batch.js';
import { PdataError } from '../errors.js';
import { guard } from '../internal/guard.js';
import { F_RESOURCE, F_RESOURCE_LEVEL } from '../internal/layout.js';
import { putVarint } from '../internal/piece-builder.js';
import {
  F_ATTRIBUTES,
  bytesEqual,
  encodeAnyValue,
  hashValue,
  readScalar,
  utf8,
  type AttributeValue,
} from '../internal/resource-attrs.js';
import { ResourceFieldCursor, copyRange } from '../internal/resource-fields.js';
import { shapeOf } from '../internal/shape.js';
import { WIRE_LEN, WireReader } from '../internal/wire-reader.js';
import { varintSize } from '../internal/wire-writer.js';

export type { AttributeValue };

/**
 * One edit of resource attributes, as the Collector's resource / attributes
 * processors: insert (only if absent), update (only if present), upsert,
 * delete, hash (SHA-1 hex of the present value). insert / update / upsert take
 * `value`, or `fromAttribute`: the value of another resource attribute (the
 * action is skipped when that attribute is absent).
 */
export interface ResourceAction {
  readonly key: string;
  readonly action: 'insert' | 'update' | 'upsert' | 'delete' | 'hash';
  readonly value?: AttributeValue;
  readonly fromAttribute?: string;
}

interface Compiled {
  readonly kind: ResourceAction['action'];
  /** Index of the action's key in the edit's slots. */
  readonly slot: number;
  readonly value: Uint8Array | undefined;
  /** Index of `fromAttribute`'s slot, or -1. */
  readonly from: number;
}

/**
 * Applies `actions`, in order, to the resource of every Resource{Spans,Metrics,Logs}.
 * Only Resource sub-messages are rewritten; everything else is copied as it
 * is. A resource-level message without a Resource gets one when an insert or
 * upsert applies. Returns the input batch itself when nothing changed.
 */
export function editResource(batch: Batch, actions: readonly ResourceAction[]): Result<Batch, PdataError> {
  const keys: Uint8Array[] = [];
  const compiled: Compiled[] = [];
  for (const [i, a] of actions.entries()) {
    const c = compile(a, i, keys);
    if (c.isErr()) return c;
    compiled.push(c.value);
  }
  if (compiled.length === 0) return Ok(batch);
  return guard(() => {
    const out = rewrite(batch, compiled, keys);
    return out ? trustedBatch(batch.signal, out, batch.itemCount, batch.metadata) : batch;
  });
}

const KINDS = new Set(['insert', 'update', 'upsert', 'delete', 'hash']);

/** The index of `key` in `keys`, added when new: actions naming the same key share one slot. */
function slotOf(keys: Uint8Array[], key: string): number {
  const bytes = utf8(key);
  const i = keys.findIndex((k) => bytesEqual(k, bytes));
  if (i >= 0) return i;
  keys.push(bytes);
  return keys.length - 1;
}

function compile(a: ResourceAction, i: number, keys: Uint8Array[]): Result<Compiled, PdataError> {
  const bad = (why: string): Result<Compiled, PdataError> =>
    Err(new PdataError('ERR_PDATA_INVALID', `resource action ${i}: ${why}`));
  if (typeof a !== 'object' || a === null) return bad('not an object');
  if (typeof a.key !== 'string' || a.key === '') return bad('key must be a non-empty string');
  if (!KINDS.has(a.action)) return bad(`unknown action ${JSON.stringify(a.action)}`);
  const needsValue = a.action === 'insert' || a.action === 'update' || a.action === 'upsert';
  const hasValue = a.value !== undefined;
  const hasFrom = a.fromAttribute !== undefined;
  if (needsValue && hasValue === hasFrom)
    return bad(`${a.action} needs exactly one of value and fromAttribute`);
  if (!needsValue && (hasValue || hasFrom)) return bad(`${a.action} takes no value or fromAttribute`);
  if (hasFrom && (typeof a.fromAttribute !== 'string' || a.fromAttribute === ''))
    return bad('fromAttribute must be a non-empty string');
  if (hasValue) {
    const t = typeof a.value;
    if (t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'bigint')
      return bad('value must be a string, number, boolean or bigint');
    if (t === 'bigint' && BigInt.asIntN(64, a.value as bigint) !== a.value)
      return bad('bigint value is outside int64');
  }
  return guard(() => ({
    kind: a.action,
    slot: slotOf(keys, a.key),
    value: hasValue ? encodeAnyValue(a.value!) : undefined,
    from: hasFrom ? slotOf(keys, a.fromAttribute!) : -1,
  }));
}

/**
 * The rewritten request, or undefined when no resource changed. Two passes
 * over the request: the first sizes the output, the second writes it into one
 * buffer; unchanged bytes are copied in runs. Memory: the output, plus
 * per resource-level message a few numbers per key the actions name; never
 * anything per attribute.
 */
function rewrite(
  batch: Batch,
  actions: readonly Compiled[],
  keys: readonly Uint8Array[],
): Uint8Array | undefined {
  const src = batch.bytes;
  const edit = new ResourceEdit(src, shapeOf(batch.signal).names[1]!, actions, keys);
  let size = src.length;
  let changed = false;
  eachResourceLevel(src, edit.rlName, (fStart, start, end) => {
    if (!edit.plan(start, end)) return;
    changed = true;
    size += edit.size() - (end - fStart);
  });
  if (!changed) return undefined;
  const out = new Uint8Array(size);
  let pos = 0;
  let copyFrom = 0; // start of source bytes not yet emitted
  eachResourceLevel(src, edit.rlName, (fStart, start, end) => {
    if (!edit.plan(start, end)) return;
    pos = copyRange(src, copyFrom, fStart, out, pos);
    pos = edit.write(out, pos, start, end);
    copyFrom = end;
  });
  pos = copyRange(src, copyFrom, src.length, out, pos);
  if (pos !== size) throw new PdataError('ERR_PDATA_INVALID', `resource edit wrote ${pos} of ${size} bytes`);
  return out;
}

/** Calls `fn` with each resource-level field of the request: where its tag starts, its payload. */
function eachResourceLevel(
  src: Uint8Array,
  rlName: string,
  fn: (fieldStart: number, start: number, end: number) => void,
): void {
  const r = new WireReader(src);
  while (!r.done()) {
    r.field = 'request';
    const fStart = r.pos;
    const t = r.tag();
    if (t >>> 3 !== F_RESOURCE_LEVEL) {
      r.skip(t);
      continue;
    }
    r.field = rlName;
    r.expect(t, WIRE_LEN, rlName);
    const end = r.lengthEnd();
    fn(fStart, r.pos, end);
    r.pos = end;
    r.end = src.length;
  }
}

/**
 * What one resource holds of a key the actions name, and what the actions did
 * to it. Only attributes with these keys can change or be read by an action;
 * every other attribute keeps its place and bytes.
 */
interface Slot {
  readonly key: Uint8Array;
  /** The resource holds the key; its first occurrence's AnyValue is [firstStart, firstEnd). */
  present: boolean;
  firstStart: number;
  firstEnd: number;
  /** Written sizes of the first occurrence and of all occurrences. */
  firstSize: number;
  allSize: number;
  /** The occurrences the resource came with were deleted. */
  deleted: boolean;
  /** The new AnyValue of the first occurrence (update / upsert / hash). */
  replacement: Uint8Array | undefined;
  /** Write pass: the first occurrence was passed. */
  seen: boolean;
}

/** An attribute the actions appended (insert / upsert of an absent key), in order. */
interface Added {
  readonly slot: number;
  value: Uint8Array;
}

/** Where a key is now: in the resource's own attributes (ORIGINAL), at an index of `added`, or absent (-1). */
const ORIGINAL = -2;

/**
 * The actions applied to one resource-level message at a time, as the
 * Collector applies them to an attribute map, over ranges of the source:
 * `plan` reads the resource and applies the actions to the slots, `size` and
 * `write` produce the re-encoded message. The layout is the one a decode and
 * re-encode gives: the resource first (its attributes, then its other
 * fields), then the message's other fields in order.
 */
class ResourceEdit {
  private readonly slots: Slot[];
  private added: Added[] = [];
  private readonly cursor: ResourceFieldCursor;
  private attrsSize = 0;
  private othersSize = 0;
  private restSize = 0;
  private plannedStart = -1;
  private plannedEnd = -1;
  private plannedChanged = false;

  constructor(
    private readonly src: Uint8Array,
    readonly rlName: string,
    private readonly actions: readonly Compiled[],
    keys: readonly Uint8Array[],
  ) {
    this.cursor = new ResourceFieldCursor(src, rlName);
    this.slots = keys.map((key) => ({
      key,
      present: false,
      firstStart: 0,
      firstEnd: 0,
      firstSize: 0,
      allSize: 0,
      deleted: false,
      replacement: undefined,
      seen: false,
    }));
  }

  /** Reads the resource-level payload [start, end) and applies the actions; returns whether anything changed. */
  plan(start: number, end: number): boolean {
    // The write pass plans each message again; a request of one resource-level
    // message (the hostile case: one resource, millions of attributes) is then
    // read once less.
    if (start === this.plannedStart && end === this.plannedEnd) return this.plannedChanged;
    for (const s of this.slots) {
      s.present = s.deleted = s.seen = false;
      s.firstStart = s.firstEnd = s.firstSize = s.allSize = 0;
      s.replacement = undefined;
    }
    this.added = [];
    this.attrsSize = this.othersSize = 0;
    const c = this.cursor.reset(start, end);
    while (c.next()) {
      if (!c.isAttr) {
        this.othersSize += c.fieldEnd - c.fieldStart;
        continue;
      }
      const n = c.framedSize();
      this.attrsSize += n;
      const s = this.slotAt();
      if (!s) continue;
      s.allSize += n;
      if (s.present) continue;
      s.present = true;
      s.firstStart = c.valueStart;
      s.firstEnd = c.valueEnd;
      s.firstSize = n;
    }
    this.restSize = end - start - c.resourceBytes;
    this.plannedStart = start;
    this.plannedEnd = end;
    this.plannedChanged = this.apply();
    return this.plannedChanged;
  }

  /** The re-encoded message's size, tag and length included. */
  size(): number {
    const rlLen = this.rlLength();
    return 1 + varintSize(rlLen) + rlLen;
  }

  /** Writes the re-encoded message at `pos`; returns the end. */
  write(out: Uint8Array, pos: number, start: number, end: number): number {
    const src = this.src;
    const resLen = this.resourceLength();
    out[pos++] = (F_RESOURCE_LEVEL << 3) | WIRE_LEN;
    pos = putVarint(out, pos, this.rlLength());
    out[pos++] = (F_RESOURCE << 3) | WIRE_LEN;
    pos = putVarint(out, pos, resLen);
    const c = this.cursor;
    for (const s of this.slots) s.seen = false;
    // Attributes: runs of kept, already minimally framed fields are copied as one range.
    let runStart = 0;
    let runEnd = 0;
    for (c.reset(start, end); c.next();) {
      if (!c.isAttr) continue;
      const s = this.slotAt();
      let replacement: Uint8Array | undefined;
      if (s) {
        if (s.deleted) continue;
        if (!s.seen) {
          s.seen = true;
          replacement = s.replacement;
        }
      }
      if (!replacement && c.isMinimallyFramed()) {
        if (c.fieldStart !== runEnd) {
          pos = copyRange(src, runStart, runEnd, out, pos);
          runStart = c.fieldStart;
        }
        runEnd = c.fieldEnd;
        continue;
      }
      pos = copyRange(src, runStart, runEnd, out, pos);
      runStart = runEnd = 0;
      if (replacement) pos = writeKeyValue(out, pos, s!.key, replacement);
      else {
        out[pos++] = (F_ATTRIBUTES << 3) | WIRE_LEN;
        pos = putVarint(out, pos, c.kvEnd - c.kvStart);
        pos = copyRange(src, c.kvStart, c.kvEnd, out, pos);
      }
    }
    pos = copyRange(src, runStart, runEnd, out, pos);
    for (const a of this.added) pos = writeKeyValue(out, pos, this.slots[a.slot]!.key, a.value);
    // The resource's other fields, as they are (a walk only when there are any).
    runStart = runEnd = 0;
    if (this.othersSize > 0)
      for (c.reset(start, end); c.next();) {
        if (c.isAttr) continue;
        if (c.fieldStart !== runEnd) {
          pos = copyRange(src, runStart, runEnd, out, pos);
          runStart = c.fieldStart;
        }
        runEnd = c.fieldEnd;
      }
    pos = copyRange(src, runStart, runEnd, out, pos);
    // The message's other fields (scopes, schema_url, unknown), in order.
    const r = new WireReader(src, start, end);
    runStart = runEnd = start;
    while (!r.done()) {
      const t = r.tag();
      r.skip(t);
      if (t >>> 3 === F_RESOURCE) {
        pos = copyRange(src, runStart, runEnd, out, pos);
        runStart = runEnd = r.pos;
      } else runEnd = r.pos;
    }
    return copyRange(src, runStart, runEnd, out, pos);
  }

  private rlLength(): number {
    const resLen = this.resourceLength();
    return 1 + varintSize(resLen) + resLen + this.restSize;
  }

  private resourceLength(): number {
    let n = this.attrsSize + this.othersSize;
    for (const s of this.slots) {
      if (!s.present) continue;
      if (s.deleted) n -= s.allSize;
      else if (s.replacement) n += keyValueSize(s.key, s.replacement) - s.firstSize;
    }
    for (const a of this.added) n += keyValueSize(this.slots[a.slot]!.key, a.value);
    return n;
  }

  /** The slot of the cursor's attribute, if its key is one the actions name. */
  private slotAt(): Slot | undefined {
    for (const s of this.slots) if (this.cursor.keyIs(s.key)) return s;
    return undefined;
  }

  private where(slot: number): number {
    const s = this.slots[slot]!;
    if (s.present && !s.deleted) return ORIGINAL;
    return this.added.findIndex((a) => a.slot === slot);
  }

  private valueAt(slot: number, where: number): Uint8Array {
    if (where !== ORIGINAL) return this.added[where]!.value;
    const s = this.slots[slot]!;
    return s.replacement ?? this.src.subarray(s.firstStart, s.firstEnd);
  }

  private set(slot: number, where: number, value: Uint8Array): void {
    if (where === ORIGINAL) this.slots[slot]!.replacement = value;
    else if (where >= 0) this.added[where]!.value = value;
    else this.added.push({ slot, value });
  }

  /** The actions in order, as on an attribute list (find = first occurrence); returns whether anything changed. */
  private apply(): boolean {
    let changed = false;
    for (const a of this.actions) {
      const where = this.where(a.slot);
      switch (a.kind) {
        case 'delete': {
          if (where === -1) break;
          const s = this.slots[a.slot]!;
          if (s.present) s.deleted = true;
          s.replacement = undefined;
          this.added = this.added.filter((x) => x.slot !== a.slot);
          changed = true;
          break;
        }
        case 'hash': {
          if (where === -1) break;
          const h = hashValue(readScalar(this.src, this.valueAt(a.slot, where)));
          if (h === undefined) break;
          this.set(a.slot, where, encodeAnyValue(h));
          changed = true;
          break;
        }
        default: {
          if ((a.kind === 'insert' && where !== -1) || (a.kind === 'update' && where === -1)) break;
          let value = a.value;
          if (a.from >= 0) {
            const from = this.where(a.from);
            if (from === -1) break;
            value = this.valueAt(a.from, from);
          }
          this.set(a.slot, where, value!);
          changed = true;
        }
      }
    }
    return changed;
  }
}

function keyValueLength(key: Uint8Array, value: Uint8Array): number {
  return 2 + varintSize(key.length) + key.length + varintSize(value.length) + value.length;
}

/** An attribute field's size: tag, length, KeyValue. */
function keyValueSize(key: Uint8Array, value: Uint8Array): number {
  const n = keyValueLength(key, value);
  return 1 + varintSize(n) + n;
}

/** Writes an attribute field (tag, length, KeyValue { key, value }) at `pos`; returns the end. */
function writeKeyValue(out: Uint8Array, pos: number, key: Uint8Array, value: Uint8Array): number {
  out[pos++] = (F_ATTRIBUTES << 3) | WIRE_LEN;
  pos = putVarint(out, pos, keyValueLength(key, value));
  out[pos++] = (1 << 3) | WIRE_LEN;
  pos = putVarint(out, pos, key.length);
  out.set(key, pos);
  pos += key.length;
  out[pos++] = (2 << 3) | WIRE_LEN;
  pos = putVarint(out, pos, value.length);
  out.set(value, pos);
  return pos + value.length;
}
