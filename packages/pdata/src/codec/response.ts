import { Err, Ok, type Result } from 'ts-results-es';
import type { PdataError } from '../errors.js';
import { WireReader } from '../internal/wire-reader.js';
import { WireWriter } from '../internal/wire-writer.js';
import type { ExportResponse } from '../model.js';
import type { Signal } from '../signal.js';
import { putInt64, putString } from './encode-common.js';
import {
  enter,
  messageInfo,
  otherField,
  readInt64,
  readString,
  releaseViews,
  type MessageInfo,
} from './read.js';
import { asPdataError, toInt64 } from './request.js';

/** Per signal: the response message names and the name of its rejected-count field. */
export const RESPONSE_NAMES: Record<
  Signal,
  { response: string; partial: string; rejected: string; rejectedJson: string }
> = {
  traces: {
    response: 'ExportTraceServiceResponse',
    partial: 'ExportTracePartialSuccess',
    rejected: 'rejected_spans',
    rejectedJson: 'rejectedSpans',
  },
  metrics: {
    response: 'ExportMetricsServiceResponse',
    partial: 'ExportMetricsPartialSuccess',
    rejected: 'rejected_data_points',
    rejectedJson: 'rejectedDataPoints',
  },
  logs: {
    response: 'ExportLogsServiceResponse',
    partial: 'ExportLogsPartialSuccess',
    rejected: 'rejected_log_records',
    rejectedJson: 'rejectedLogRecords',
  },
};

const INFO: Record<Signal, { response: MessageInfo; partial: MessageInfo }> = {
  traces: infoFor('traces'),
  metrics: infoFor('metrics'),
  logs: infoFor('logs'),
};

function infoFor(signal: Signal): { response: MessageInfo; partial: MessageInfo } {
  const n = RESPONSE_NAMES[signal];
  return {
    response: messageInfo(n.response, { 1: 'partial_success' }),
    partial: messageInfo(n.partial, { 1: n.rejected, 2: 'error_message' }),
  };
}

/**
 * Encodes an Export*ServiceResponse. With nothing rejected and no message the
 * response is empty (no partial_success), as the spec asks for full success.
 */
export function encodeExportResponse(
  signal: Signal,
  response: { rejectedItems?: number | bigint; errorMessage?: string } = {},
): Uint8Array {
  void signal; // the three responses share their field numbers
  const rejected = toInt64(response.rejectedItems);
  const message = response.errorMessage ?? '';
  const w = new WireWriter(64 + message.length * 3);
  if (rejected !== 0n || message !== '') {
    w.begin();
    if (rejected !== 0n) putInt64(w, 1, rejected);
    putString(w, 2, message);
    w.end(1);
  }
  return w.finish();
}

/** Decodes an Export*ServiceResponse; no partial_success is `{ rejectedItems: 0, errorMessage: '' }`. */
export function decodeExportResponse(signal: Signal, bytes: Uint8Array): Result<ExportResponse, PdataError> {
  const info = INFO[signal];
  try {
    const r = new WireReader(bytes);
    let rejected = 0n;
    let errorMessage = '';
    while (r.pos < r.end) {
      r.field = info.response.name;
      const tag = r.tag();
      if (tag !== ((1 << 3) | 2)) {
        otherField(r, tag, info.response);
        continue;
      }
      const outer = enter(r);
      while (r.pos < r.end) {
        r.field = info.partial.name;
        const t = r.tag();
        if (t === ((1 << 3) | 0)) {
          r.field = info.partial.fields[1]!;
          rejected = readInt64(r);
        } else if (t === ((2 << 3) | 2)) {
          r.field = info.partial.fields[2]!;
          errorMessage = readString(r);
        } else otherField(r, t, info.partial);
      }
      r.end = outer;
    }
    return Ok({ rejectedItems: Number(rejected), errorMessage });
  } catch (e) {
    return Err(asPdataError(e));
  } finally {
    releaseViews();
  }
}
