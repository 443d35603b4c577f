import { Err, Ok, type Result } from 'ts-results-es';
import { PdataError } from '../errors.js';
import { WireReader } from '../internal/wire-reader.js';
import { WireWriter } from '../internal/wire-writer.js';
import type {
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
  RequestOf,
} from '../model.js';
import type { Signal } from '../signal.js';
import { decodeLogsRequest } from './decode-logs.js';
import { decodeMetricsRequest } from './decode-metrics.js';
import { decodeTraceRequest } from './decode-traces.js';
import { releaseViews } from './read.js';
import { encodeLogsRequest } from './encode-logs.js';
import { encodeMetricsRequest } from './encode-metrics.js';
import { encodeTraceRequest } from './encode-traces.js';

/** Wraps anything thrown while decoding into a PdataError value. */
export function asPdataError(e: unknown): PdataError {
  if (e instanceof PdataError) return e;
  // A RangeError (stack) or similar: still a value, never an escaping exception.
  return new PdataError('ERR_PDATA_INVALID', `decoding failed: ${String(e)}`, -1, '', { cause: e });
}

/** Internal: throws PdataError. */
export function decodeRequestOrThrow<S extends Signal>(signal: S, bytes: Uint8Array): RequestOf<S> {
  const r = new WireReader(bytes);
  try {
    switch (signal) {
      case 'traces':
        return decodeTraceRequest(r) as RequestOf<S>;
      case 'metrics':
        return decodeMetricsRequest(r) as RequestOf<S>;
      case 'logs':
        return decodeLogsRequest(r) as RequestOf<S>;
      default:
        throw new PdataError('ERR_PDATA_INVALID', `unknown signal ${String(signal)}`);
    }
  } finally {
    releaseViews();
  }
}

/** A count given as a number or bigint, as an int64 (fractions truncated, non-finite as 0). */
export function toInt64(v: number | bigint | undefined): bigint {
  if (typeof v === 'bigint') return BigInt.asIntN(64, v);
  if (v === undefined || !Number.isFinite(v)) return 0n;
  return BigInt.asIntN(64, BigInt(Math.trunc(v)));
}

/**
 * Decodes an Export{Trace,Metrics,Logs}ServiceRequest into plain objects.
 * Unknown fields are skipped; malformed input is an Err naming the byte
 * offset and the message.field being read. Never throws.
 */
export function decodeRequest<S extends Signal>(
  signal: S,
  bytes: Uint8Array,
): Result<RequestOf<S>, PdataError> {
  try {
    return Ok(decodeRequestOrThrow(signal, bytes));
  } catch (e) {
    return Err(asPdataError(e));
  }
}

/**
 * Encodes a request in canonical protobuf form (field-number order, proto3
 * defaults left out, repeated scalars packed). Throws PdataError only for an
 * AnyValue nested deeper than 64 levels (or a cyclic one).
 */
export function encodeRequest<S extends Signal>(signal: S, request: RequestOf<S>): Uint8Array {
  const w = new WireWriter(4096);
  switch (signal) {
    case 'traces':
      encodeTraceRequest(w, request as ExportTraceServiceRequest);
      break;
    case 'metrics':
      encodeMetricsRequest(w, request as ExportMetricsServiceRequest);
      break;
    case 'logs':
      encodeLogsRequest(w, request as ExportLogsServiceRequest);
      break;
    default:
      throw new PdataError('ERR_PDATA_INVALID', `unknown signal ${String(signal)}`);
  }
  return w.finish();
}
