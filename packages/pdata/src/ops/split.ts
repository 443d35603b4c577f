import { Err, Ok, type Result } from 'ts-results-es';
import { trustedBatch, type Batch } from '../batch.js';
import { PdataError } from '../errors.js';
import { guard } from '../internal/guard.js';
import { Path, PieceBuilder } from '../internal/piece-builder.js';
import { countLevel, scanFraming, shapeOf, type Shape } from '../internal/shape.js';
import { WIRE_LEN, WireReader } from '../internal/wire-reader.js';

export interface SplitLimits {
  /** At most this many items (spans, data points, log records) per output batch. */
  readonly maxItems?: number;
  /** At most this many bytes per encoded output request. */
  readonly maxBytes?: number;
}

/**
 * Splits a batch into batches within the limits, on the wire. Pieces are
 * filled greedily in order. A message that fits is copied whole; one that does
 * not is split at its children (resource -> scope -> record; metrics: down to
 * data points inside a Metric), and each piece re-frames it with its other
 * fields copied verbatim (resource, scope, schema_url, a Metric's name, unit,
 * temporality ...). A single item that cannot fit in maxBytes with its framing
 * is an ERR_PDATA_TOO_LARGE error.
 */
export function splitBatch(batch: Batch, limits: SplitLimits): Result<Batch[], PdataError> {
  const maxItems = limits.maxItems ?? Infinity;
  const maxBytes = limits.maxBytes ?? Infinity;
  if (!validLimit(maxItems) || !validLimit(maxBytes))
    return Err(
      new PdataError(
        'ERR_PDATA_INVALID',
        `split limits must be positive integers, got ${JSON.stringify(limits)}`,
      ),
    );
  if (batch.bytes.length <= maxBytes && batch.itemCount <= maxItems) return Ok([batch]);
  return guard(() => new Splitter(batch, maxItems, maxBytes).run());
}

function validLimit(v: number): boolean {
  return v === Infinity || (Number.isSafeInteger(v) && v >= 1);
}

class Splitter {
  private readonly r: WireReader;
  private readonly shape: Shape;
  private readonly path = new Path();
  private readonly pieces: Batch[] = [];
  private builder!: PieceBuilder;

  constructor(
    private readonly batch: Batch,
    private readonly maxItems: number,
    private readonly maxBytes: number,
  ) {
    this.r = new WireReader(batch.bytes);
    this.shape = shapeOf(batch.signal);
  }

  run(): Batch[] {
    const bytes = this.batch.bytes;
    const root = scanFraming(this.r, this.shape, 0, 0, bytes.length);
    if (root.bytes > this.maxBytes)
      throw new PdataError(
        'ERR_PDATA_TOO_LARGE',
        `request fields other than ${this.shape.names[1]} take ${root.bytes} bytes, over maxBytes ${this.maxBytes}`,
        0,
        'request',
      );
    this.builder = new PieceBuilder(bytes, root);
    this.children(0, 0, bytes.length);
    if (!this.builder.empty || this.pieces.length === 0) this.flush();
    return this.pieces;
  }

  private flush(): void {
    const { bytes, items } = this.builder.finish();
    this.pieces.push(trustedBatch(this.batch.signal, bytes, items, this.batch.metadata));
  }

  /** Places every child of the message [start, end) at `level`, in order. */
  private children(level: number, start: number, end: number): void {
    const r = this.r;
    const shape = this.shape;
    const name = `${shape.names[level]}.${shape.names[level + 1]}`;
    let pos = start;
    while (pos < end) {
      r.pos = pos;
      r.end = end;
      r.field = shape.names[level]!;
      const fieldStart = pos;
      const t = r.tag();
      if (!shape.isChild(level, t >>> 3)) {
        r.skip(t);
        pos = r.pos;
        continue;
      }
      r.field = name;
      r.expect(t, WIRE_LEN, name);
      const cEnd = r.lengthEnd();
      this.unit(level + 1, t >>> 3, fieldStart, r.pos, cEnd);
      pos = cEnd;
    }
  }

  /** Places one message at `level`: whole if it fits, else split at its children. */
  private unit(level: number, field: number, fieldStart: number, start: number, end: number): void {
    const depth = level - 1;
    const size = end - fieldStart;
    let items = -1;
    for (;;) {
      const b = this.builder;
      if (b.sizeWith(this.path, depth, size) <= this.maxBytes) {
        if (items < 0) items = countLevel(this.r, this.shape, level, start, end);
        if (b.items + items <= this.maxItems) {
          b.add(this.path, depth, fieldStart, end, items);
          return;
        }
      }
      if (level < this.shape.leafLevel) {
        const framing = scanFraming(this.r, this.shape, level, start, end);
        if (framing.children > 0) {
          this.path.push(field, start, framing);
          this.children(level, start, end);
          this.path.pop();
          return;
        }
      }
      if (b.empty) {
        const what = this.shape.names[level]!;
        throw new PdataError(
          'ERR_PDATA_TOO_LARGE',
          `a ${what} of ${size} bytes does not fit maxBytes ${this.maxBytes} with its enclosing messages (${b.sizeWith(this.path, depth, size)} bytes)`,
          fieldStart,
          what,
        );
      }
      this.flush();
    }
  }
}
