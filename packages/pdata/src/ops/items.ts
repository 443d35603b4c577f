import { Ok, type Result } from 'ts-results-es';
import { trustedBatch, type Batch } from '../batch.js';
import type { PdataError } from '../errors.js';
import type { Item, ItemView } from '../item.js';
import { guard } from '../internal/guard.js';
import { ItemCursor } from '../internal/item-cursor.js';
import { shapeOf, type Shape } from '../internal/shape.js';
import { Tape } from '../internal/tape.js';
import { WIRE_LEN, WireReader } from '../internal/wire-reader.js';

/**
 * Calls `fn` with a view of every item (span, log record, data point) in
 * request order, without decoding the request. An error reading the wire, or
 * one thrown by `fn`, is returned as an Err value.
 */
export function forEachItem(batch: Batch, fn: (item: ItemView) => void): Result<void, PdataError> {
  return guard(() => {
    new Walker(batch, (item) => {
      fn(item);
      return true;
    }).scan();
  });
}

/**
 * The batch with only the items `keep` answers true for. Scopes, metrics and
 * resources left without items are removed; everything else is copied as it
 * is on the wire. Returns the input batch itself when nothing was removed.
 */
export function filterItems(batch: Batch, keep: (item: ItemView) => boolean): Result<Batch, PdataError> {
  return editItems(batch, keep);
}

/**
 * Rewrites a batch item by item on the wire: `fn` may edit the item's
 * attributes (`setAttribute`, `removeAttribute`) and returns false to drop
 * it (anything else keeps it). Only edited items are re-encoded; scopes,
 * metrics and resources left without items are removed. Returns the input
 * batch itself when nothing changed.
 */
export function editItems(batch: Batch, fn: (item: Item) => boolean | void): Result<Batch, PdataError> {
  if (batch.itemCount === 0) return Ok(batch);
  return guard(() => new Walker(batch, fn).rewrite());
}

class Walker {
  private readonly r: WireReader;
  private readonly shape: Shape;
  private readonly cursor: ItemCursor;
  private readonly tape: Tape;
  private index = 0;
  private dropped = 0;
  private mutations = 0;

  constructor(
    private readonly batch: Batch,
    private readonly fn: (item: Item) => boolean | void,
  ) {
    this.r = new WireReader(batch.bytes);
    this.shape = shapeOf(batch.signal);
    this.cursor = new ItemCursor(batch.signal, batch.bytes);
    this.tape = new Tape(batch.bytes);
  }

  scan(): void {
    this.level(0, 0, 0, this.batch.bytes.length, 0);
  }

  rewrite(): Batch {
    this.scan();
    if (this.mutations === 0) return this.batch;
    const b = this.batch;
    return trustedBatch(b.signal, this.tape.finish(), b.itemCount - this.dropped, b.metadata);
  }

  /**
   * Walks the message at `level` whose payload is [start, end) (the whole field
   * [fieldStart, end)), emitting it into the tape: verbatim when nothing inside
   * changed, left out when all its items were dropped, re-framed otherwise.
   * Returns the number of items kept.
   */
  private level(level: number, field: number, fieldStart: number, end: number, start = fieldStart): number {
    const r = this.r;
    const shape = this.shape;
    const cursor = this.cursor;
    const tape = this.tape;
    const name = shape.names[level]!;
    const childIsLeaf = level + 1 === shape.leafLevel;
    cursor.ctxStart[level] = start;
    cursor.ctxEnd[level] = end;
    cursor.ctxField[level] = field;
    const mutationsBefore = this.mutations;
    if (level > 0) tape.begin(field);
    let children = 0;
    let kept = 0;
    r.pos = start;
    r.end = end;
    while (r.pos < end) {
      r.field = name;
      const fStart = r.pos;
      const t = r.tag();
      const fn = t >>> 3;
      if (!shape.isChild(level, fn)) {
        r.skip(t);
        tape.copy(fStart, r.pos);
        continue;
      }
      r.field = `${name}.${shape.names[level + 1]}`;
      r.expect(t, WIRE_LEN, r.field);
      const cEnd = r.lengthEnd();
      const cStart = r.pos;
      children++;
      if (childIsLeaf) kept += this.item(fn, fStart, cStart, cEnd);
      else kept += this.level(level + 1, fn, fStart, cEnd, cStart);
      r.pos = cEnd;
      r.end = end;
    }
    if (level === 0) return kept;
    if (this.mutations === mutationsBefore) {
      tape.cancel();
      tape.copy(fieldStart, end);
    } else if (children > 0 && kept === 0) tape.cancel();
    else tape.end();
    return kept;
  }

  /** Calls the function for one item and emits it; returns 1 when kept. */
  private item(field: number, fieldStart: number, start: number, end: number): number {
    const cursor = this.cursor;
    cursor.bind(start, end, this.index++);
    const keep = this.fn(cursor) !== false;
    if (!keep) {
      this.dropped++;
      this.mutations++;
      return 0;
    }
    if (cursor.edits.length > 0) {
      this.mutations++;
      cursor.writeEdited(this.tape, field);
    } else this.tape.copy(fieldStart, end);
    return 1;
  }
}
