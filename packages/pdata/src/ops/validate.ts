import type { Result } from 'ts-results-es';
import type { PdataError } from '../errors.js';
import { guard } from '../internal/guard.js';
import {
  BYTES,
  FIXED64,
  PACKED_FIXED64,
  PACKED_VARINT,
  REQUEST,
  VARINT,
  type Message,
} from '../internal/schema.js';
import { WIRE_LEN, WireReader } from '../internal/wire-reader.js';
import type { Signal } from '../signal.js';

/** Deeper than any real attribute value; bounds recursion on hostile input. */
const MAX_DEPTH = 64;

/**
 * Deep structural validation: walks every known field of every message of the
 * request (spans, events, links, data points, exemplars, attribute values ...)
 * checking wire types and lengths, without decoding to objects. Unknown fields
 * are skipped, as protobuf requires. `countItems` / `createBatch` check only
 * the levels down to the items; this also looks inside them.
 */
export function validateRequest(signal: Signal, bytes: Uint8Array): Result<void, PdataError> {
  return guard(() => walk(new WireReader(bytes), REQUEST[signal], bytes.length, 0));
}

function walk(r: WireReader, m: Message, end: number, depth: number): void {
  if (depth > MAX_DEPTH) r.fail('ERR_PDATA_INVALID', `messages nested deeper than ${MAX_DEPTH}`);
  const saveEnd = r.end;
  r.end = end;
  const fields = m.byNumber;
  while (r.pos < end) {
    r.field = m.name;
    const at = r.pos;
    const t = r.tag();
    const fn = t >>> 3;
    const wt = t & 7;
    const kind = fn < fields.length ? fields[fn] : undefined;
    if (kind === undefined) {
      r.skip(t);
      continue;
    }
    if (typeof kind === 'object') {
      if (wt !== WIRE_LEN) {
        r.field = `${m.name}.${fn}`;
        r.fail('ERR_PDATA_WIRE_TYPE', `${m.name} field ${fn} (${kind.name}) has wire type ${wt}`, at);
      }
      const e = r.lengthEnd();
      walk(r, kind, e, depth + 1);
      r.pos = e;
      continue;
    }
    const ok =
      kind === PACKED_FIXED64
        ? wt === WIRE_LEN || wt === FIXED64
        : kind === PACKED_VARINT
          ? wt === WIRE_LEN || wt === VARINT
          : wt === kind;
    if (!ok) {
      r.field = `${m.name}.${fn}`;
      r.fail('ERR_PDATA_WIRE_TYPE', `${m.name} field ${fn} has wire type ${wt}`, at);
    }
    if (kind === PACKED_FIXED64 && wt === WIRE_LEN) {
      const e = r.lengthEnd();
      if ((e - r.pos) % 8 !== 0)
        r.fail('ERR_PDATA_INVALID', `packed fixed64 field ${m.name}.${fn} of ${e - r.pos} bytes`, at);
      r.pos = e;
    } else if (kind === PACKED_VARINT && wt === WIRE_LEN) {
      const e = r.lengthEnd();
      const outer = r.end;
      r.end = e;
      while (r.pos < e) r.skip(VARINT);
      r.end = outer;
    } else if (kind === BYTES) r.pos = r.lengthEnd();
    else r.skip(t);
  }
  r.end = saveEnd;
}
