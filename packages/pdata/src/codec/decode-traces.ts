import type { WireReader } from '../internal/wire-reader.js';
import type {
  ExportTraceServiceRequest,
  InstrumentationScope,
  KeyValue,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  Status,
} from '../model.js';
import { decodeKeyValue, decodeResource, decodeScope } from './decode-common.js';
import { enter, messageInfo, otherField, readBytes, readFixed64, readInt32, readString } from './read.js';

const REQUEST = messageInfo('ExportTraceServiceRequest', { 1: 'resource_spans' });
const RESOURCE_SPANS = messageInfo('ResourceSpans', { 1: 'resource', 2: 'scope_spans', 3: 'schema_url' });
const SCOPE_SPANS = messageInfo('ScopeSpans', { 1: 'scope', 2: 'spans', 3: 'schema_url' });
const SPAN = messageInfo('Span', {
  1: 'trace_id',
  2: 'span_id',
  3: 'trace_state',
  4: 'parent_span_id',
  5: 'name',
  6: 'kind',
  7: 'start_time_unix_nano',
  8: 'end_time_unix_nano',
  9: 'attributes',
  10: 'dropped_attributes_count',
  11: 'events',
  12: 'dropped_events_count',
  13: 'links',
  14: 'dropped_links_count',
  15: 'status',
  16: 'flags',
});
const EVENT = messageInfo('Span.Event', {
  1: 'time_unix_nano',
  2: 'name',
  3: 'attributes',
  4: 'dropped_attributes_count',
});
const LINK = messageInfo('Span.Link', {
  1: 'trace_id',
  2: 'span_id',
  3: 'trace_state',
  4: 'attributes',
  5: 'dropped_attributes_count',
  6: 'flags',
});
const STATUS = messageInfo('Status', { 2: 'message', 3: 'code' });

const EMPTY = 0;

/** Internal: throws PdataError. */
export function decodeTraceRequest(r: WireReader): ExportTraceServiceRequest {
  const resourceSpans: ResourceSpans[] = [];
  while (r.pos < r.end) {
    r.field = 'ExportTraceServiceRequest';
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) {
      r.field = 'ExportTraceServiceRequest.resource_spans';
      resourceSpans.push(decodeResourceSpans(r));
    } else otherField(r, tag, REQUEST);
  }
  return { resourceSpans };
}

function decodeResourceSpans(r: WireReader): ResourceSpans {
  const outer = enter(r);
  let resource: Resource | undefined;
  const scopeSpans: ScopeSpans[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    r.field = 'ResourceSpans';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'ResourceSpans.resource';
        resource = decodeResource(r);
        break;
      case (2 << 3) | 2:
        r.field = 'ResourceSpans.scope_spans';
        scopeSpans.push(decodeScopeSpans(r));
        break;
      case (3 << 3) | 2:
        r.field = 'ResourceSpans.schema_url';
        schemaUrl = readString(r);
        break;
      default:
        otherField(r, tag, RESOURCE_SPANS);
    }
  }
  r.end = outer;
  return { resource, scopeSpans, schemaUrl };
}

function decodeScopeSpans(r: WireReader): ScopeSpans {
  const outer = enter(r);
  let scope: InstrumentationScope | undefined;
  const spans: Span[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    r.field = 'ScopeSpans';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'ScopeSpans.scope';
        scope = decodeScope(r);
        break;
      case (2 << 3) | 2:
        r.field = 'ScopeSpans.spans';
        spans.push(decodeSpan(r));
        break;
      case (3 << 3) | 2:
        r.field = 'ScopeSpans.schema_url';
        schemaUrl = readString(r);
        break;
      default:
        otherField(r, tag, SCOPE_SPANS);
    }
  }
  r.end = outer;
  return { scope, spans, schemaUrl };
}

function decodeSpan(r: WireReader): Span {
  const outer = enter(r);
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let traceState = '';
  let parentSpanId: Uint8Array | undefined;
  let flags = 0;
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  let status: Status | undefined;
  while (r.pos < r.end) {
    r.field = 'Span';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'Span.trace_id';
        traceId = readBytes(r);
        break;
      case (2 << 3) | 2:
        r.field = 'Span.span_id';
        spanId = readBytes(r);
        break;
      case (3 << 3) | 2:
        r.field = 'Span.trace_state';
        traceState = readString(r);
        break;
      case (4 << 3) | 2:
        r.field = 'Span.parent_span_id';
        parentSpanId = readBytes(r);
        break;
      case (5 << 3) | 2:
        r.field = 'Span.name';
        name = readString(r);
        break;
      case (6 << 3) | 0:
        r.field = 'Span.kind';
        kind = readInt32(r);
        break;
      case (7 << 3) | 1:
        r.field = 'Span.start_time_unix_nano';
        startTimeUnixNano = readFixed64(r);
        break;
      case (8 << 3) | 1:
        r.field = 'Span.end_time_unix_nano';
        endTimeUnixNano = readFixed64(r);
        break;
      case (9 << 3) | 2:
        r.field = 'Span.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (10 << 3) | 0:
        r.field = 'Span.dropped_attributes_count';
        droppedAttributesCount = r.varint32();
        break;
      case (11 << 3) | 2:
        r.field = 'Span.events';
        events.push(decodeEvent(r));
        break;
      case (12 << 3) | 0:
        r.field = 'Span.dropped_events_count';
        droppedEventsCount = r.varint32();
        break;
      case (13 << 3) | 2:
        r.field = 'Span.links';
        links.push(decodeLink(r));
        break;
      case (14 << 3) | 0:
        r.field = 'Span.dropped_links_count';
        droppedLinksCount = r.varint32();
        break;
      case (15 << 3) | 2:
        r.field = 'Span.status';
        status = decodeStatus(r);
        break;
      case (16 << 3) | 5:
        r.field = 'Span.flags';
        flags = r.fixed32();
        break;
      default:
        otherField(r, tag, SPAN);
    }
  }
  r.end = outer;
  return {
    traceId: traceId ?? new Uint8Array(EMPTY),
    spanId: spanId ?? new Uint8Array(EMPTY),
    traceState,
    parentSpanId: parentSpanId ?? new Uint8Array(EMPTY),
    flags,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    status,
  };
}

function decodeEvent(r: WireReader): SpanEvent {
  const outer = enter(r);
  let timeUnixNano = 0n;
  let name = '';
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  while (r.pos < r.end) {
    r.field = 'Span.Event';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 1:
        r.field = 'Span.Event.time_unix_nano';
        timeUnixNano = readFixed64(r);
        break;
      case (2 << 3) | 2:
        r.field = 'Span.Event.name';
        name = readString(r);
        break;
      case (3 << 3) | 2:
        r.field = 'Span.Event.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (4 << 3) | 0:
        r.field = 'Span.Event.dropped_attributes_count';
        droppedAttributesCount = r.varint32();
        break;
      default:
        otherField(r, tag, EVENT);
    }
  }
  r.end = outer;
  return { timeUnixNano, name, attributes, droppedAttributesCount };
}

function decodeLink(r: WireReader): SpanLink {
  const outer = enter(r);
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let traceState = '';
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  let flags = 0;
  while (r.pos < r.end) {
    r.field = 'Span.Link';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'Span.Link.trace_id';
        traceId = readBytes(r);
        break;
      case (2 << 3) | 2:
        r.field = 'Span.Link.span_id';
        spanId = readBytes(r);
        break;
      case (3 << 3) | 2:
        r.field = 'Span.Link.trace_state';
        traceState = readString(r);
        break;
      case (4 << 3) | 2:
        r.field = 'Span.Link.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (5 << 3) | 0:
        r.field = 'Span.Link.dropped_attributes_count';
        droppedAttributesCount = r.varint32();
        break;
      case (6 << 3) | 5:
        r.field = 'Span.Link.flags';
        flags = r.fixed32();
        break;
      default:
        otherField(r, tag, LINK);
    }
  }
  r.end = outer;
  return {
    traceId: traceId ?? new Uint8Array(EMPTY),
    spanId: spanId ?? new Uint8Array(EMPTY),
    traceState,
    attributes,
    droppedAttributesCount,
    flags,
  };
}

function decodeStatus(r: WireReader): Status {
  const outer = enter(r);
  let message = '';
  let code = 0;
  while (r.pos < r.end) {
    r.field = 'Status';
    const tag = r.tag();
    switch (tag) {
      case (2 << 3) | 2:
        r.field = 'Status.message';
        message = readString(r);
        break;
      case (3 << 3) | 0:
        r.field = 'Status.code';
        code = readInt32(r);
        break;
      default:
        otherField(r, tag, STATUS);
    }
  }
  r.end = outer;
  return { message, code };
}
