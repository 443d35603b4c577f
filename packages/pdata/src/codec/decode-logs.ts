import type { WireReader } from '../internal/wire-reader.js';
import type {
  AnyValue,
  ExportLogsServiceRequest,
  InstrumentationScope,
  KeyValue,
  LogRecord,
  Resource,
  ResourceLogs,
  ScopeLogs,
} from '../model.js';
import { decodeAnyValue, decodeKeyValue, decodeResource, decodeScope } from './decode-common.js';
import { enter, messageInfo, otherField, readBytes, readFixed64, readInt32, readString } from './read.js';

const REQUEST = messageInfo('ExportLogsServiceRequest', { 1: 'resource_logs' });
const RESOURCE_LOGS = messageInfo('ResourceLogs', { 1: 'resource', 2: 'scope_logs', 3: 'schema_url' });
const SCOPE_LOGS = messageInfo('ScopeLogs', { 1: 'scope', 2: 'log_records', 3: 'schema_url' });
const LOG_RECORD = messageInfo('LogRecord', {
  1: 'time_unix_nano',
  2: 'severity_number',
  3: 'severity_text',
  5: 'body',
  6: 'attributes',
  7: 'dropped_attributes_count',
  8: 'flags',
  9: 'trace_id',
  10: 'span_id',
  11: 'observed_time_unix_nano',
  12: 'event_name',
});

/** Internal: throws PdataError. */
export function decodeLogsRequest(r: WireReader): ExportLogsServiceRequest {
  const resourceLogs: ResourceLogs[] = [];
  while (r.pos < r.end) {
    r.field = 'ExportLogsServiceRequest';
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) {
      r.field = 'ExportLogsServiceRequest.resource_logs';
      resourceLogs.push(decodeResourceLogs(r));
    } else otherField(r, tag, REQUEST);
  }
  return { resourceLogs };
}

function decodeResourceLogs(r: WireReader): ResourceLogs {
  const outer = enter(r);
  let resource: Resource | undefined;
  const scopeLogs: ScopeLogs[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    r.field = 'ResourceLogs';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'ResourceLogs.resource';
        resource = decodeResource(r);
        break;
      case (2 << 3) | 2:
        r.field = 'ResourceLogs.scope_logs';
        scopeLogs.push(decodeScopeLogs(r));
        break;
      case (3 << 3) | 2:
        r.field = 'ResourceLogs.schema_url';
        schemaUrl = readString(r);
        break;
      default:
        otherField(r, tag, RESOURCE_LOGS);
    }
  }
  r.end = outer;
  return { resource, scopeLogs, schemaUrl };
}

function decodeScopeLogs(r: WireReader): ScopeLogs {
  const outer = enter(r);
  let scope: InstrumentationScope | undefined;
  const logRecords: LogRecord[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    r.field = 'ScopeLogs';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'ScopeLogs.scope';
        scope = decodeScope(r);
        break;
      case (2 << 3) | 2:
        r.field = 'ScopeLogs.log_records';
        logRecords.push(decodeLogRecord(r));
        break;
      case (3 << 3) | 2:
        r.field = 'ScopeLogs.schema_url';
        schemaUrl = readString(r);
        break;
      default:
        otherField(r, tag, SCOPE_LOGS);
    }
  }
  r.end = outer;
  return { scope, logRecords, schemaUrl };
}

function decodeLogRecord(r: WireReader): LogRecord {
  const outer = enter(r);
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: AnyValue | undefined;
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  let flags = 0;
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let eventName = '';
  while (r.pos < r.end) {
    r.field = 'LogRecord';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 1:
        r.field = 'LogRecord.time_unix_nano';
        timeUnixNano = readFixed64(r);
        break;
      case (2 << 3) | 0:
        r.field = 'LogRecord.severity_number';
        severityNumber = readInt32(r);
        break;
      case (3 << 3) | 2:
        r.field = 'LogRecord.severity_text';
        severityText = readString(r);
        break;
      case (5 << 3) | 2:
        r.field = 'LogRecord.body';
        body = decodeAnyValue(r, 0);
        break;
      case (6 << 3) | 2:
        r.field = 'LogRecord.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (7 << 3) | 0:
        r.field = 'LogRecord.dropped_attributes_count';
        droppedAttributesCount = r.varint32();
        break;
      case (8 << 3) | 5:
        r.field = 'LogRecord.flags';
        flags = r.fixed32();
        break;
      case (9 << 3) | 2:
        r.field = 'LogRecord.trace_id';
        traceId = readBytes(r);
        break;
      case (10 << 3) | 2:
        r.field = 'LogRecord.span_id';
        spanId = readBytes(r);
        break;
      case (11 << 3) | 1:
        r.field = 'LogRecord.observed_time_unix_nano';
        observedTimeUnixNano = readFixed64(r);
        break;
      case (12 << 3) | 2:
        r.field = 'LogRecord.event_name';
        eventName = readString(r);
        break;
      default:
        otherField(r, tag, LOG_RECORD);
    }
  }
  r.end = outer;
  return {
    timeUnixNano,
    observedTimeUnixNano,
    severityNumber,
    severityText,
    body,
    attributes,
    droppedAttributesCount,
    flags,
    traceId: traceId ?? new Uint8Array(0),
    spanId: spanId ?? new Uint8Array(0),
    eventName,
  };
}
