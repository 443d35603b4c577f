import { Err, type Result } from 'ts-results-es';
import { trustedBatch, type Batch } from '../batch.js';
import { PdataError } from '../errors.js';
import { guard } from '../internal/guard.js';
import { F_RESOURCE } from '../internal/layout.js';
import { Path, PieceBuilder } from '../internal/piece-builder.js';
import { bytesEqual, hashAttributes, readResource, readScalar, utf8, type ResourceParts } from '../internal/resource-attrs.js';
import { countLevel, scanFraming, shapeOf, type Framing, type Shape } from '../internal/shape.js';
import { WIRE_LEN, WireReader } from '../internal/wire-reader.js';

/** Span.trace_id = 1, LogRecord.trace_id = 9. */
const TRACE_ID_FIELD = { traces: 1, logs: 9 } as const;

/**
 * Regroups spans (or log records) by trace id, one batch per trace id (lower-case
 * hex; '' for items without one), in order of first appearance. Every item keeps
 * its resource and scope: each group re-frames the resource-level and scope-level
 * messages its items came from, other fields copied verbatim; item order is kept.
 */
export function groupByTraceId(batch: Batch): Result<Map<string, Batch>, PdataError> {
  if (batch.signal === 'metrics')
    return Err(new PdataError('ERR_PDATA_INVALID', 'groupByTraceId applies to traces and logs, not metrics'));
  const traceField = TRACE_ID_FIELD[batch.signal];
  return guard(() => {
    const g = new Grouper<string>(batch);
    const { r, shape, path } = g;
    const rec = shape.names[3]!;
    g.eachChild(0, 0, batch.bytes.length, (rlField, rlStart, rlEnd) => {
      path.push(rlField, rlStart, scanFraming(r, shape, 1, rlStart, rlEnd));
      g.eachChild(1, rlStart, rlEnd, (slField, slStart, slEnd) => {
        path.push(slField, slStart, scanFraming(r, shape, 2, slStart, slEnd));
        g.eachChild(2, slStart, slEnd, (_f, start, end, fieldStart) => {
          const key = traceIdHex(r, rec, traceField, start, end);
          g.builder(key).add(path, 2, fieldStart, end, 1);
        });
        path.pop();
      });
      path.pop();
    });
    return g.finish();
  });
}

/**
 * Groups resource-level messages by a stable hash (SHA-1 hex) of their
 * resource's attributes, insensitive to attribute order. Resources without
 * attributes (or without a resource) share one key.
 */
export function groupByResource(batch: Batch): Result<Map<string, Batch>, PdataError> {
  return guard(() => groupResources(batch, (parts) => hashAttributes(parts.attrs)));
}

/**
 * Groups resource-level messages by the value of resource attribute `key`:
 * a string as it is, a bool / int / double in its decimal form; undefined when
 * the attribute is absent or an array / kvlist / bytes value.
 */
export function groupByResourceAttribute(batch: Batch, key: string): Result<Map<string | undefined, Batch>, PdataError> {
  const keyBytes = utf8(key);
  return guard(() =>
    groupResources<string | undefined>(batch, (parts, src) => {
      const a = parts.attrs.find((x) => bytesEqual(x.key, keyBytes));
      if (!a) return undefined;
      const v = readScalar(src, a.value);
      return v === undefined ? undefined : String(v);
    }),
  );
}

function groupResources<K>(batch: Batch, keyOf: (parts: ResourceParts, src: Uint8Array) => K): Map<K, Batch> {
  const g = new Grouper<K>(batch);
  const { r, shape } = g;
  const rlName = shape.names[1]!;
  g.eachChild(0, 0, batch.bytes.length, (_f, start, end, fieldStart) => {
    const parts: ResourceParts = { attrs: [], others: [] };
    r.pos = start;
    r.end = end;
    while (r.pos < end) {
      r.field = rlName;
      const t = r.tag();
      if (t >>> 3 !== F_RESOURCE) {
        r.skip(t);
        continue;
      }
      r.field = `${rlName}.resource`;
      r.expect(t, WIRE_LEN, r.field);
      const resEnd = r.lengthEnd();
      readResource(r, r.pos, resEnd, parts);
      r.pos = resEnd;
    }
    const items = countLevel(r, shape, 1, start, end);
    g.builder(keyOf(parts, batch.bytes)).add(g.path, 0, fieldStart, end, items);
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
    let b = this.builders.get(key);
    if (!b) {
      b = new PieceBuilder(this.batch.bytes, this.root);
      this.builders.set(key, b);
    }
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

  finish(): Map<K, Batch> {
    const out = new Map<K, Batch>();
    for (const [key, b] of this.builders) {
      const { bytes, items } = b.finish();
      out.set(key, trustedBatch(this.batch.signal, bytes, items, this.batch.metadata));
    }
    return out;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The hex of a record's trace id field (the last occurrence wins), '' when absent. */
function traceIdHex(r: WireReader, rec: string, field: number, start: number, end: number): string {
  r.pos = start;
  r.end = end;
  let idStart = 0;
  let idEnd = 0;
  while (r.pos < end) {
    r.field = rec;
    const t = r.tag();
    if (t >>> 3 !== field) {
      r.skip(t);
      continue;
    }
    r.field = `${rec}.trace_id`;
    r.expect(t, WIRE_LEN, r.field);
    idEnd = r.lengthEnd();
    idStart = r.pos;
    r.pos = idEnd;
  }
  const buf = r.buf;
  let s = '';
  for (let i = idStart; i < idEnd; i++) s += HEX[buf[i]!];
  return s;
}

