/**
 * Hostile OTLP requests written as protobuf bytes directly (building objects
 * first would cost what is being measured).
 */

export type HostileSignal = 'traces' | 'metrics' | 'logs';

function varint(out: number[], v: number): void {
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function field(tag: number, payload: Uint8Array): Uint8Array {
  const head: number[] = [tag];
  varint(head, payload.length);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** One item of each signal, as small as it can validly be. */
function item(signal: HostileSignal, index: number): Uint8Array {
  const id = (n: number): Uint8Array => {
    const b = new Uint8Array(n);
    new DataView(b.buffer).setUint32(0, index + 1);
    b[n - 1] = 1;
    return b;
  };
  switch (signal) {
    case 'traces': // ScopeSpans.spans = 2 { trace_id = 1, span_id = 2, name = 5 }
      return field(0x12, concat([field(0x0a, id(16)), field(0x12, id(8)), field(0x2a, utf8('hostile'))]));
    case 'logs': // ScopeLogs.log_records = 2 { body = 5: AnyValue.string_value }
      return field(0x12, field(0x2a, field(0x0a, utf8('hostile'))));
    case 'metrics': // ScopeMetrics.metrics = 2 { name = 1, gauge = 5 { data_points = 1 { as_int = 6 } } }
      return field(
        0x12,
        concat([
          field(0x0a, utf8('hostile')),
          field(0x2a, field(0x0a, Uint8Array.of(0x31, 1, 0, 0, 0, 0, 0, 0, 0))),
        ]),
      );
  }
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/**
 * An Export*ServiceRequest with one resource holding `count` attributes
 * `{key: ""}` (9 bytes each for key "a") and one item: the request of issue 17
 * item 2 (1,000,000 attributes = 9 MB).
 */
export function resourceAttributeBomb(
  signal: HostileSignal,
  count: number,
  key = 'a',
  itemIndex = 0,
): Uint8Array {
  const k = utf8(key);
  // Resource.attributes = 1 { key = 1, value = 2 { string_value = 1 "" } }
  const kv = field(0x0a, concat([field(0x0a, k), field(0x12, Uint8Array.of(0x0a, 0x00))]));
  const attrs = new Uint8Array(kv.length * count);
  for (let i = 0; i < count; i++) attrs.set(kv, i * kv.length);
  const resource = field(0x0a, attrs);
  const scope = field(0x12, item(signal, itemIndex)); // Resource{Spans,Metrics,Logs}.scope_* = 2
  return field(0x0a, concat([resource, scope])); // Export*ServiceRequest.resource_* = 1
}

/** A valid client's request: one resource attribute, one item whose ids derive from `index`. */
export function validRequest(signal: HostileSignal, index: number): Uint8Array {
  return resourceAttributeBomb(signal, 1, 'service.name', index);
}
