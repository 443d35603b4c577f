import type { Message } from './schema.js';
import { WIRE_LEN, WireReader } from './wire-reader.js';

/**
 * The proto field path of the field at `offset`, e.g.
 * `resource_spans[0].scope_spans[1].spans[3].trace_id`. Only computed for an
 * error, so validation keeps no path while it walks: this walks again from the
 * root, down the fields whose bytes hold `offset`, counting repeated fields.
 * Stops where the bytes stop making sense (the error is there).
 */
export function fieldPath(bytes: Uint8Array, root: Message, offset: number): string {
  const parts: string[] = [];
  const r = new WireReader(bytes);
  let m: Message | undefined = root;
  try {
    while (m !== undefined) m = descend(r, m, offset, parts);
  } catch {
    // The bytes end being readable at the error: the path so far names it.
  }
  return parts.join('.');
}

/** Finds the field of `m` (up to r.end) that holds `offset`; returns its message if the offset is inside it. */
function descend(r: WireReader, m: Message, offset: number, parts: string[]): Message | undefined {
  const seen = new Map<number, number>();
  while (r.pos < r.end) {
    const t = r.tag();
    const fn = t >>> 3;
    const index = seen.get(fn) ?? 0;
    seen.set(fn, index + 1);
    const name = m.names[fn];
    if (name !== undefined) parts.push(m.repeated[fn] ? `${name}[${index}]` : name);
    const kind = m.byNumber[fn];
    const payload = r.pos;
    r.skip(t);
    if (offset < r.pos) {
      if (name === undefined) parts.push(`${fn}`);
      if (typeof kind !== 'object' || (t & 7) !== WIRE_LEN || offset < payload) return undefined;
      r.end = r.pos;
      r.pos = payload;
      r.lengthEnd();
      return kind;
    }
    if (name !== undefined) parts.pop();
  }
  return undefined;
}
