import type { Signal } from '../signal.js';
import { METRIC_DATA_FIELDS, RECORD_NAME, RESOURCE_LEVEL_NAME, SCOPE_LEVEL_NAME } from './layout.js';
import { WIRE_LEN, type WireReader } from './wire-reader.js';

/**
 * The nesting of an OTLP request as levels:
 *   0 request, 1 Resource{Spans,Metrics,Logs}, 2 Scope{Spans,Metrics,Logs},
 *   3 Span / Metric / LogRecord; metrics only: 4 Metric data (Gauge, Sum, ...), 5 data point.
 * The deepest level holds the items (leaves). Every other field of a message
 * is its "framing": copied verbatim into each piece the message is split into.
 */
export class Shape {
  readonly leafLevel: number;
  readonly names: readonly string[];

  constructor(readonly signal: Signal) {
    this.leafLevel = signal === 'metrics' ? 5 : 3;
    this.names =
      signal === 'metrics'
        ? ['request', 'ResourceMetrics', 'ScopeMetrics', 'Metric', 'Metric.data', 'DataPoint']
        : ['request', RESOURCE_LEVEL_NAME[signal], SCOPE_LEVEL_NAME[signal], RECORD_NAME[signal]];
  }

  /** Whether field `fn` of a message at `level` holds a child (a message of level + 1). */
  isChild(level: number, fn: number): boolean {
    if (level === 3) return METRIC_DATA_FIELDS.has(fn);
    return fn === (level === 1 || level === 2 ? 2 : 1);
  }

  /** Framing fields numbered below this are written before the children, the others after. */
  firstChild(level: number): number {
    return level === 3 ? 5 : level === 1 || level === 2 ? 2 : 1;
  }
}

const SHAPES: Record<Signal, Shape> = {
  traces: new Shape('traces'),
  metrics: new Shape('metrics'),
  logs: new Shape('logs'),
};

export function shapeOf(signal: Signal): Shape {
  return SHAPES[signal];
}

/** A message's fields other than its children, as [start, end) pairs of whole fields (tag included). */
export interface Framing {
  readonly pre: number[];
  readonly post: number[];
  /** Total bytes of pre and post. */
  bytes: number;
  /** Number of child fields. */
  children: number;
}

/**
 * Scans the payload [start, end) of a message at `level`: collects its framing
 * and checks each child's wire type and length. Leaves the reader's range as it was.
 */
export function scanFraming(r: WireReader, shape: Shape, level: number, start: number, end: number): Framing {
  const out: Framing = { pre: [], post: [], bytes: 0, children: 0 };
  const saveEnd = r.end;
  r.pos = start;
  r.end = end;
  const first = shape.firstChild(level);
  const name = shape.names[level]!;
  while (r.pos < end) {
    r.field = name;
    const fStart = r.pos;
    const t = r.tag();
    const fn = t >>> 3;
    if (shape.isChild(level, fn)) {
      r.field = `${name}.${shape.names[level + 1]}`;
      r.expect(t, WIRE_LEN, r.field);
      r.pos = r.lengthEnd();
      out.children++;
      continue;
    }
    r.skip(t);
    (fn < first ? out.pre : out.post).push(fStart, r.pos);
    out.bytes += r.pos - fStart;
  }
  r.end = saveEnd;
  return out;
}

/**
 * Items (spans, data points, log records) in the message [start, end) at
 * `level`, checking lengths and wire types down to the items. Leaves the
 * reader's range as it was; moves its position.
 */
export function countLevel(r: WireReader, shape: Shape, level: number, start: number, end: number): number {
  if (level === shape.leafLevel) return 1;
  const saveEnd = r.end;
  r.pos = start;
  r.end = end;
  let count = 0;
  const name = shape.names[level]!;
  const childIsLeaf = level + 1 === shape.leafLevel;
  while (r.pos < end) {
    r.field = name;
    const t = r.tag();
    if (!shape.isChild(level, t >>> 3)) {
      r.skip(t);
      continue;
    }
    r.field = `${name}.${shape.names[level + 1]}`;
    r.expect(t, WIRE_LEN, r.field);
    const cEnd = r.lengthEnd();
    if (childIsLeaf) count++;
    else count += countLevel(r, shape, level + 1, r.pos, cEnd);
    r.pos = cEnd;
  }
  r.end = saveEnd;
  return count;
}
