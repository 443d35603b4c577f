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
    const ids = new IdBuilders(g, batch.bytes);
    g.eachChild(0, 0, batch.bytes.length, (rlField, rlStart, rlEnd) => {
      path.push(rlField, rlStart, scanFraming(r, shape, 1, rlStart, rlEnd));
      g.eachChild(1, rlStart, rlEnd, (slField, slStart, slEnd) => {
        path.push(slField, slStart, scanFraming(r, shape, 2, slStart, slEnd));
        g.eachChild(2, slStart, slEnd, (_f, start, end, fieldStart) => {
          findTraceId(r, rec, traceField, start, end);
          ids.get(idStart, idEnd).add(path, 2, fieldStart, end, 1);
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

let idStart = 0;
let idEnd = 0;

/** Finds a record's trace id field (the last occurrence wins) into idStart / idEnd; empty when absent. */
function findTraceId(r: WireReader, rec: string, field: number, start: number, end: number): void {
  r.pos = start;
  r.end = end;
  idStart = idEnd = 0;
  while (r.pos < end) {
    r.field = rec;
    const t = r.tag();
    if (t >>> 3 !== field) {
      r.skip(t);
      continue;
    }
    r.field = field === 1 ? 'Span.trace_id' : 'LogRecord.trace_id';
    r.expect(t, WIRE_LEN, r.field);
    idEnd = r.lengthEnd();
    idStart = r.pos;
    r.pos = idEnd;
  }
}

/**
 * Builders by trace id bytes, looked up by a 32-bit hash and a byte compare,
 * so the hex key is made once per trace rather than once per span.
 */
class IdBuilders {
  /** hash -> index of the newest entry with that hash; entries chain through `next`. */
  private readonly byHash = new Map<number, number>();
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly next: number[] = [];
  private readonly builders: PieceBuilder[] = [];

  constructor(
    private readonly g: Grouper<string>,
    private readonly buf: Uint8Array,
  ) {}

  get(start: number, end: number): PieceBuilder {
    const buf = this.buf;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const head = this.byHash.get(h);
    for (let e = head ?? -1; e >= 0; e = this.next[e]!)
      if (sameBytes(buf, this.start[e]!, this.end[e]!, start, end)) return this.builders[e]!;
    let key = '';
    for (let i = start; i < end; i++) key += HEX[buf[i]!];
    const builder = this.g.builder(key);
    const e = this.builders.length;
    this.start.push(start);
    this.end.push(end);
    this.next.push(head ?? -1);
    this.builders.push(builder);
    this.byHash.set(h, e);
    return builder;
  }
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function sameBytes(buf: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (; a < aEnd; a++, b++) if (buf[a] !== buf[b]) return false;
  return true;
}
