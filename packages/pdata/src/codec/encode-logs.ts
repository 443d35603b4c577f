import type { WireWriter } from '../internal/wire-writer.js';
import type { ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs } from '../model.js';
import {
  putAnyValue,
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

export function encodeLogsRequest(w: WireWriter, req: ExportLogsServiceRequest): void {
  for (const rl of req.resourceLogs ?? []) putResourceLogs(w, rl);
}

function putResourceLogs(w: WireWriter, rl: ResourceLogs): void {
  w.begin();
  putResource(w, 1, rl.resource);
  for (const sl of rl.scopeLogs ?? []) putScopeLogs(w, sl);
  putString(w, 3, rl.schemaUrl);
  w.end(1);
}

function putScopeLogs(w: WireWriter, sl: ScopeLogs): void {
  w.begin();
  putScope(w, 1, sl.scope);
  for (const lr of sl.logRecords ?? []) putLogRecord(w, lr);
  putString(w, 3, sl.schemaUrl);
  w.end(2);
}

function putLogRecord(w: WireWriter, lr: LogRecord): void {
  w.begin();
  putFixed64(w, 1, lr.timeUnixNano);
  putInt32(w, 2, lr.severityNumber);
  putString(w, 3, lr.severityText);
  if (lr.body !== undefined) putAnyValue(w, 5, lr.body, 0);
  putAttributes(w, 6, lr.attributes);
  putUint32(w, 7, lr.droppedAttributesCount);
  putFixed32(w, 8, lr.flags);
  putBytes(w, 9, lr.traceId);
  putBytes(w, 10, lr.spanId);
  putFixed64(w, 11, lr.observedTimeUnixNano);
  putString(w, 12, lr.eventName);
  w.end(2);
}
