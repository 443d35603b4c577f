import {
  SeverityNumber,
  SpanKind,
  StatusCode,
  type ExportLogsServiceRequest,
  type ExportTraceServiceRequest,
  type LogRecord,
  type Span,
  type SpanEvent,
  type SpanLink,
  type Status,
} from '../model.js';
import { attributes, message, readAnyValue, readEnvelopes, repeated } from './read-common.js';
import {
  type JsonPath,
  asObject,
  camel,
  enumNames,
  enumValue,
  hexId,
  str,
  uint32,
  uint64,
} from './values.js';

const SPAN_KIND = enumNames('SPAN_KIND_', SpanKind);
const STATUS_CODE = enumNames('STATUS_CODE_', StatusCode);
const SEVERITY = enumNames('SEVERITY_NUMBER_', SeverityNumber);

// ---- traces ------------------------------------------------------------------

export function traceRequestFromJson(p: JsonPath, v: unknown): ExportTraceServiceRequest {
  const envs = readEnvelopes(p, v, 'resourceSpans', 'scopeSpans', 'spans', readSpan);
  return {
    resourceSpans: envs.map((e) => ({
      resource: e.resource,
      scopeSpans: e.scopes.map((s) => ({ scope: s.scope, spans: s.items, schemaUrl: s.schemaUrl })),
      schemaUrl: e.schemaUrl,
    })),
  };
}

function readSpan(p: JsonPath, v: unknown): Span {
  const o = asObject(p, v);
  const s: Span = {
    traceId: new Uint8Array(0),
    spanId: new Uint8Array(0),
    traceState: '',
    parentSpanId: new Uint8Array(0),
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: undefined,
  };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'traceId':
        s.traceId = hexId(p, x, 16);
        break;
      case 'spanId':
        s.spanId = hexId(p, x, 8);
        break;
      case 'traceState':
        s.traceState = str(p, x);
        break;
      case 'parentSpanId':
        s.parentSpanId = hexId(p, x, 8);
        break;
      case 'flags':
        s.flags = uint32(p, x);
        break;
      case 'name':
        s.name = str(p, x);
        break;
      case 'kind':
        s.kind = x === null ? 0 : enumValue(p, x, SPAN_KIND);
        break;
      case 'startTimeUnixNano':
        s.startTimeUnixNano = uint64(p, x);
        break;
      case 'endTimeUnixNano':
        s.endTimeUnixNano = uint64(p, x);
        break;
      case 'attributes':
        s.attributes = attributes(p, x);
        break;
      case 'droppedAttributesCount':
        s.droppedAttributesCount = uint32(p, x);
        break;
      case 'events':
        s.events = repeated(p, x, readEvent);
        break;
      case 'droppedEventsCount':
        s.droppedEventsCount = uint32(p, x);
        break;
      case 'links':
        s.links = repeated(p, x, readLink);
        break;
      case 'droppedLinksCount':
        s.droppedLinksCount = uint32(p, x);
        break;
      case 'status':
        s.status = message(p, x, readStatus);
        break;
    }
    p.parts.pop();
  }
  return s;
}

function readEvent(p: JsonPath, v: unknown): SpanEvent {
  const o = asObject(p, v);
  const e: SpanEvent = { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'timeUnixNano':
        e.timeUnixNano = uint64(p, x);
        break;
      case 'name':
        e.name = str(p, x);
        break;
      case 'attributes':
        e.attributes = attributes(p, x);
        break;
      case 'droppedAttributesCount':
        e.droppedAttributesCount = uint32(p, x);
        break;
    }
    p.parts.pop();
  }
  return e;
}

function readLink(p: JsonPath, v: unknown): SpanLink {
  const o = asObject(p, v);
  const l: SpanLink = {
    traceId: new Uint8Array(0),
    spanId: new Uint8Array(0),
    traceState: '',
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
  };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'traceId':
        l.traceId = hexId(p, x, 16);
        break;
      case 'spanId':
        l.spanId = hexId(p, x, 8);
        break;
      case 'traceState':
        l.traceState = str(p, x);
        break;
      case 'attributes':
        l.attributes = attributes(p, x);
        break;
      case 'droppedAttributesCount':
        l.droppedAttributesCount = uint32(p, x);
        break;
      case 'flags':
        l.flags = uint32(p, x);
        break;
    }
    p.parts.pop();
  }
  return l;
}

function readStatus(p: JsonPath, v: unknown): Status {
  const o = asObject(p, v);
  const s: Status = { message: '', code: 0 };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    const ck = camel(k);
    if (ck === 'message') s.message = str(p, x);
    else if (ck === 'code') s.code = x === null ? 0 : enumValue(p, x, STATUS_CODE);
    p.parts.pop();
  }
  return s;
}

// ---- logs --------------------------------------------------------------------

export function logsRequestFromJson(p: JsonPath, v: unknown): ExportLogsServiceRequest {
  const envs = readEnvelopes(p, v, 'resourceLogs', 'scopeLogs', 'logRecords', readLogRecord);
  return {
    resourceLogs: envs.map((e) => ({
      resource: e.resource,
      scopeLogs: e.scopes.map((s) => ({ scope: s.scope, logRecords: s.items, schemaUrl: s.schemaUrl })),
      schemaUrl: e.schemaUrl,
    })),
  };
}

function readLogRecord(p: JsonPath, v: unknown): LogRecord {
  const o = asObject(p, v);
  const l: LogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: undefined,
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: new Uint8Array(0),
    spanId: new Uint8Array(0),
    eventName: '',
  };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'timeUnixNano':
        l.timeUnixNano = uint64(p, x);
        break;
      case 'observedTimeUnixNano':
        l.observedTimeUnixNano = uint64(p, x);
        break;
      case 'severityNumber':
        l.severityNumber = x === null ? 0 : enumValue(p, x, SEVERITY);
        break;
      case 'severityText':
        l.severityText = str(p, x);
        break;
      case 'body':
        l.body = x === null ? undefined : readAnyValue(p, x, 0);
        break;
      case 'attributes':
        l.attributes = attributes(p, x);
        break;
      case 'droppedAttributesCount':
        l.droppedAttributesCount = uint32(p, x);
        break;
      case 'flags':
        l.flags = uint32(p, x);
        break;
      case 'traceId':
        l.traceId = hexId(p, x, 16);
        break;
      case 'spanId':
        l.spanId = hexId(p, x, 8);
        break;
      case 'eventName':
        l.eventName = str(p, x);
        break;
    }
    p.parts.pop();
  }
  return l;
}
