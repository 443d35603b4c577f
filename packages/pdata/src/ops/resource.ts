import { Err, Ok, type Result } from 'ts-results-es';
import { trustedBatch, type Batch } from '../batch.js';
import { PdataError } from '../errors.js';
import { guard } from '../internal/guard.js';
import { F_RESOURCE, F_RESOURCE_LEVEL } from '../internal/layout.js';
import { putVarint } from '../internal/piece-builder.js';
import {
  bytesEqual,
  encodeAnyValue,
  encodeKeyValue,
  hashValue,
  readResource,
  readScalar,
  utf8,
  type Attr,
  type AttributeValue,
  type ResourceParts,
} from '../internal/resource-attrs.js';
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
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
  readonly from: Uint8Array | undefined;
}

/**
 * Applies `actions`, in order, to the resource of every Resource{Spans,Metrics,Logs}.
 * Only Resource sub-messages are rewritten; everything else is copied as it
 * is. A resource-level message without a Resource gets one when an insert or
 * upsert applies. Returns the input batch itself when nothing changed.
 */
export function editResource(batch: Batch, actions: readonly ResourceAction[]): Result<Batch, PdataError> {
  const compiled: Compiled[] = [];
  for (const [i, a] of actions.entries()) {
    const c = compile(a, i);
    if (c.isErr()) return c;
    compiled.push(c.value);
  }
  if (compiled.length === 0) return Ok(batch);
  return guard(() => {
    const out = rewrite(batch, compiled);
    return out ? trustedBatch(batch.signal, out, batch.itemCount, batch.metadata) : batch;
  });
}

const KINDS = new Set(['insert', 'update', 'upsert', 'delete', 'hash']);

function compile(a: ResourceAction, i: number): Result<Compiled, PdataError> {
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
    key: utf8(a.key),
    value: hasValue ? encodeAnyValue(a.value!) : undefined,
    from: hasFrom ? utf8(a.fromAttribute!) : undefined,
  }));
}

/** The rewritten request, or undefined when no resource changed. */
function rewrite(batch: Batch, actions: readonly Compiled[]): Uint8Array | undefined {
  const src = batch.bytes;
  const r = new WireReader(src);
  const rlName = shapeOf(batch.signal).names[1]!;
  const chunks: Uint8Array[] = [];
  let size = 0;
  let changed = false;
  let copyFrom = 0; // start of source bytes not yet emitted
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
    const start = r.pos;
    const rl = editResourceLevel(r, rlName, start, end, actions);
    r.pos = end;
    r.end = src.length;
    if (!rl) continue;
    changed = true;
    if (fStart > copyFrom) {
      chunks.push(src.subarray(copyFrom, fStart));
      size += fStart - copyFrom;
    }
    chunks.push(rl);
    size += rl.length;
    copyFrom = end;
  }
  if (!changed) return undefined;
  if (copyFrom < src.length) {
    chunks.push(src.subarray(copyFrom));
    size += src.length - copyFrom;
  }
  const out = new Uint8Array(size);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** The whole re-encoded resource-level field (tag included), or undefined if its resource is unchanged. */
function editResourceLevel(
  r: WireReader,
  rlName: string,
  start: number,
  end: number,
  actions: readonly Compiled[],
): Uint8Array | undefined {
  const src = r.buf;
  const parts: ResourceParts = { attrs: [], others: [] };
  const rest: Uint8Array[] = []; // the other fields of the resource-level message
  r.pos = start;
  r.end = end;
  while (r.pos < end) {
    r.field = rlName;
    const fStart = r.pos;
    const t = r.tag();
    if (t >>> 3 !== F_RESOURCE) {
      r.skip(t);
      rest.push(src.subarray(fStart, r.pos));
      continue;
    }
    r.field = `${rlName}.resource`;
    r.expect(t, WIRE_LEN, r.field);
    const resEnd = r.lengthEnd();
    readResource(r, r.pos, resEnd, parts);
    r.pos = resEnd;
  }
  if (!applyActions(src, parts.attrs, actions)) return undefined;

  let resLen = 0;
  for (const a of parts.attrs) {
    const n = a.payload ? a.payload.length : kvLength(a);
    resLen += 1 + varintSize(n) + n;
  }
  for (const o of parts.others) resLen += o.length;
  let rlLen = 1 + varintSize(resLen) + resLen;
  for (const f of rest) rlLen += f.length;

  const out = new Uint8Array(1 + varintSize(rlLen) + rlLen);
  out[0] = (F_RESOURCE_LEVEL << 3) | WIRE_LEN;
  let pos = putVarint(out, 1, rlLen);
  out[pos++] = (F_RESOURCE << 3) | WIRE_LEN;
  pos = putVarint(out, pos, resLen);
  for (const a of parts.attrs) {
    const kv = a.payload ?? encodeKeyValue(a.key, a.value);
    out[pos++] = (1 << 3) | WIRE_LEN;
    pos = putVarint(out, pos, kv.length);
    out.set(kv, pos);
    pos += kv.length;
  }
  for (const o of parts.others) {
    out.set(o, pos);
    pos += o.length;
  }
  for (const f of rest) {
    out.set(f, pos);
    pos += f.length;
  }
  return out;
}

function kvLength(a: Attr): number {
  return 2 + varintSize(a.key.length) + a.key.length + varintSize(a.value.length) + a.value.length;
}

function find(attrs: readonly Attr[], key: Uint8Array): number {
  for (let i = 0; i < attrs.length; i++) if (bytesEqual(attrs[i]!.key, key)) return i;
  return -1;
}

/** Applies the actions to `attrs` in place; returns whether anything changed. */
function applyActions(src: Uint8Array, attrs: Attr[], actions: readonly Compiled[]): boolean {
  let changed = false;
  for (const a of actions) {
    const i = find(attrs, a.key);
    switch (a.kind) {
      case 'delete': {
        if (i < 0) break;
        let w = 0;
        for (let j = 0; j < attrs.length; j++) if (!bytesEqual(attrs[j]!.key, a.key)) attrs[w++] = attrs[j]!;
        attrs.length = w;
        changed = true;
        break;
      }
      case 'hash': {
        if (i < 0) break;
        const h = hashValue(readScalar(src, attrs[i]!.value));
        if (h === undefined) break;
        attrs[i] = { key: a.key, value: encodeAnyValue(h), payload: undefined };
        changed = true;
        break;
      }
      default: {
        if ((a.kind === 'insert' && i >= 0) || (a.kind === 'update' && i < 0)) break;
        let value = a.value;
        if (a.from) {
          const j = find(attrs, a.from);
          if (j < 0) break;
          value = attrs[j]!.value;
        }
        if (i >= 0) attrs[i] = { key: a.key, value: value!, payload: undefined };
        else attrs.push({ key: a.key, value: value!, payload: undefined });
        changed = true;
      }
    }
  }
  return changed;
}
