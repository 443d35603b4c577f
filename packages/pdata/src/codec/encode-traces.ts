import type { WireWriter } from '../internal/wire-writer.js';
import type {
  ExportTraceServiceRequest,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
} from '../model.js';
import {
  putAttributes,
  putBytes,
  putFixed32,
  putFixed64,
  putInt32,
  putResource,
  putScope,
  putString,
  putUint32,
} from './encode-common.js';

export function encodeTraceRequest(w: WireWriter, req: ExportTraceServiceRequest): void {
  for (const rs of req.resourceSpans ?? []) putResourceSpans(w, rs);
}

function putResourceSpans(w: WireWriter, rs: ResourceSpans): void {
  w.begin();
  putResource(w, 1, rs.resource);
  for (const ss of rs.scopeSpans ?? []) putScopeSpans(w, ss);
  putString(w, 3, rs.schemaUrl);
  w.end(1);
}

function putScopeSpans(w: WireWriter, ss: ScopeSpans): void {
  w.begin();
  putScope(w, 1, ss.scope);
  for (const s of ss.spans ?? []) putSpan(w, s);
  putString(w, 3, ss.schemaUrl);
  w.end(2);
}

function putSpan(w: WireWriter, s: Span): void {
  w.begin();
  putBytes(w, 1, s.traceId);
  putBytes(w, 2, s.spanId);
  putString(w, 3, s.traceState);
  putBytes(w, 4, s.parentSpanId);
  putString(w, 5, s.name);
  putInt32(w, 6, s.kind);
  putFixed64(w, 7, s.startTimeUnixNano);
  putFixed64(w, 8, s.endTimeUnixNano);
  putAttributes(w, 9, s.attributes);
  putUint32(w, 10, s.droppedAttributesCount);
  for (const e of s.events ?? []) putEvent(w, e);
  putUint32(w, 12, s.droppedEventsCount);
  for (const l of s.links ?? []) putLink(w, l);
  putUint32(w, 14, s.droppedLinksCount);
  if (s.status !== undefined) {
    w.begin();
    putString(w, 2, s.status.message);
    putInt32(w, 3, s.status.code);
    w.end(15);
  }
  putFixed32(w, 16, s.flags);
  w.end(2);
}

function putEvent(w: WireWriter, e: SpanEvent): void {
  w.begin();
  putFixed64(w, 1, e.timeUnixNano);
  putString(w, 2, e.name);
  putAttributes(w, 3, e.attributes);
  putUint32(w, 4, e.droppedAttributesCount);
  w.end(11);
}

function putLink(w: WireWriter, l: SpanLink): void {
  w.begin();
  putBytes(w, 1, l.traceId);
  putBytes(w, 2, l.spanId);
  putString(w, 3, l.traceState);
  putAttributes(w, 4, l.attributes);
  putUint32(w, 5, l.droppedAttributesCount);
  putFixed32(w, 6, l.flags);
  w.end(13);
}
