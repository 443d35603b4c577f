import { Err, type Result } from 'ts-results-es';
import { trustedBatch, type Batch } from '../batch.js';
import { PdataError } from '../errors.js';
import { guard } from '../internal/guard.js';
import { Path, PieceBuilder } from '../internal/piece-builder.js';
import { readScalar, utf8 } from '../internal/resource-attrs.js';
import {
  ResourceFieldCursor,
  findResourceAttribute,
  hashResourceAttributes,
} from '../internal/resource-fields.js';
import { countLevel, scanFraming, shapeOf, type Framing, type Shape } from '../internal/shape.js';
import { groupRecordsByTraceId } from '../internal/trace-groups.js';
import { WIRE_LEN, WireReader } from '../internal/wire-reader.js';

/**
 * Regroups spans (or log records) by trace id, one batch per trace id (lower-case
 * hex; '' for items without one), in order of first appearance. Every item keeps
 * its resource and scope: each group re-frames the resource-level and scope-level
 * messages its items came from, other fields copied verbatim; item order is kept.
 * A record's first trace_id field decides. The groups' bytes are views into one
 * buffer allocated for all of them.
 */
export function groupByTraceId(batch: Batch): Result<Map<string, Batch>, PdataError> {
  const signal = batch.signal;
  if (signal === 'metrics')
    return Err(new PdataError('ERR_PDATA_INVALID', 'groupByTraceId applies to traces and logs, not metrics'));
  return guard(() => {
    const out = new Map<string, Batch>();
    for (const g of groupRecordsByTraceId(signal, new WireReader(batch.bytes)))
      out.set(g.key, trustedBatch(signal, g.bytes, g.items, batch.metadata));
    return out;
  });
}

/**
 * Groups resource-level messages by a stable hash (SHA-1 hex) of their
 * resource's attributes, insensitive to attribute order. Resources without
 * attributes (or without a resource) share one key.
 */
export function groupByResource(batch: Batch): Result<Map<string, Batch>, PdataError> {
  return guard(() => groupResources(batch, (c, start, end) => hashResourceAttributes(c, start, end)));
}

/**
 * Groups resource-level messages by the value of resource attribute `key`:
 * a string as it is, a bool / int / double in its decimal form; undefined when
 * the attribute is absent or an array / kvlist / bytes value.
 */
export function groupByResourceAttribute(
  batch: Batch,
  key: string,
): Result<Map<string | undefined, Batch>, PdataError> {
  const keyBytes = utf8(key);
  return guard(() =>
    groupResources<string | undefined>(batch, (c, start, end) => {
      const found = findResourceAttribute(c, start, end, keyBytes);
      if (!found) return undefined;
      const v = readScalar(c.buf, c.buf.subarray(found[0], found[1]));
      return v === undefined ? undefined : String(v);
    }),
  );
}

/**
 * The resource of each resource-level message is read in place (a cursor over
 * its fields), never an object per attribute: a resource may hold millions.
 */
function groupResources<K>(
  batch: Batch,
  keyOf: (cursor: ResourceFieldCursor, start: number, end: number) => K,
): Map<K, Batch> {
  const g = new Grouper<K>(batch);
  const { r, shape } = g;
  const cursor = new ResourceFieldCursor(batch.bytes, shape.names[1]!);
  g.eachChild(0, 0, batch.bytes.length, (_f, start, end, fieldStart) => {
    const key = keyOf(cursor, start, end);
    const items = countLevel(r, shape, 1, start, end);
    g.builder(key).add(g.path, 0, fieldStart, end, items);
  });
  return g.finish();
}

/** One PieceBuilder per key over one source request. */
class Grouper<K> {
  readonly r: WireReader;
  readonly shape: Shape;
  readonly path = new Path();
  private readonly root: Framing;
  private readonly builders = new Map<K, PieceBuilder>();

  constructor(private readonly batch: Batch) {
    this.r = new WireReader(batch.bytes);
    this.shape = shapeOf(batch.signal);
    this.root = scanFraming(this.r, this.shape, 0, 0, batch.bytes.length);
  }

  builder(key: K): PieceBuilder {
    return this.builders.get(key) ?? this.create(key);
  }

  /** A builder for a key known to be new. */
  create(key: K): PieceBuilder {
    const b = new PieceBuilder(this.batch.bytes, this.root);
    this.builders.set(key, b);
    return b;
  }

  /** Calls `fn` for each child field of the message [start, end) at `level`. */
  eachChild(
    level: number,
    start: number,
    end: number,
    fn: (field: number, start: number, end: number, fieldStart: number) => void,
  ): void {
    const r = this.r;
    const name = this.shape.names[level]!;
    const childName = `${name}.${this.shape.names[level + 1]}`;
    let pos = start;
    while (pos < end) {
      r.pos = pos;
      r.end = end;
      r.field = name;
      const t = r.tag();
      if (!this.shape.isChild(level, t >>> 3)) {
        r.skip(t);
        pos = r.pos;
        continue;
      }
      r.field = childName;
      r.expect(t, WIRE_LEN, childName);
      const cEnd = r.lengthEnd();
      fn(t >>> 3, r.pos, cEnd, pos);
      pos = cEnd;
    }
  }

  /**
   * The groups' requests are views into one buffer: one allocation instead of
   * one per group (there may be thousands of small trace groups).
   */
  finish(): Map<K, Batch> {
    const out = new Map<K, Batch>();
    let total = 0;
    for (const b of this.builders.values()) total += b.seal();
    const buf = new Uint8Array(total);
    let pos = 0;
    for (const [key, b] of this.builders) {
      const items = b.items;
      const end = b.writeTo(buf, pos);
      out.set(key, trustedBatch(this.batch.signal, buf.subarray(pos, end), items, this.batch.metadata));
      pos = end;
    }
    return out;
  }
}
