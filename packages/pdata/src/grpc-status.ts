import { WireReader } from './internal/wire-reader.js';
import { WireWriter } from './internal/wire-writer.js';
import { enter, readInt64, readString, releaseViews } from './codec/read.js';

/** The type URL of google.rpc.RetryInfo inside a google.protobuf.Any. */
export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

export interface GrpcStatusDetails {
  /** gRPC status code (e.g. 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE). */
  code: number;
  message?: string;
  /** When set, a google.rpc.RetryInfo detail with this delay is attached. */
  retryDelayMs?: number;
}

/**
 * Encodes a google.rpc.Status { code = 1, message = 2, details = 3 } for the
 * `grpc-status-details-bin` trailer; with retryDelayMs, details holds one
 * google.protobuf.Any { type_url = 1, value = 2 } wrapping
 * google.rpc.RetryInfo { retry_delay = 1 google.protobuf.Duration { seconds = 1, nanos = 2 } }.
 */
export function encodeGrpcStatusDetails(status: GrpcStatusDetails): Uint8Array {
  const w = new WireWriter(128);
  if (status.code) {
    w.tag(1, 0);
    w.int32(status.code);
  }
  if (status.message) w.stringField(2, status.message);
  const delay = status.retryDelayMs;
  if (delay !== undefined && Number.isFinite(delay) && delay >= 0) {
    const totalNanos = BigInt(Math.round(delay * 1e6));
    const seconds = totalNanos / 1_000_000_000n;
    const nanos = Number(totalNanos % 1_000_000_000n);
    w.begin(); // Any
    w.stringField(1, RETRY_INFO_TYPE_URL);
    w.begin(); // RetryInfo (the Any's value bytes)
    w.begin(); // Duration
    if (seconds !== 0n) {
      w.tag(1, 0);
      w.varint64(seconds);
    }
    if (nanos !== 0) {
      w.tag(2, 0);
      w.int32(nanos);
    }
    w.end(1);
    w.end(2);
    w.end(3);
  }
  return w.finish();
}

/**
 * The retry delay of a google.rpc.Status's RetryInfo detail in milliseconds,
 * or undefined when there is none or the bytes are malformed. Never throws.
 */
export function decodeGrpcRetryDelayMs(bytes: Uint8Array): number | undefined {
  try {
    const r = new WireReader(bytes);
    r.field = 'google.rpc.Status';
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag !== ((3 << 3) | 2)) {
        r.skip(tag);
        continue;
      }
      const delay = readRetryInfoAny(r);
      if (delay !== undefined) return delay;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    releaseViews();
  }
}

/** One google.protobuf.Any; the delay if it is a RetryInfo with a retry_delay. */
function readRetryInfoAny(r: WireReader): number | undefined {
  const outer = enter(r);
  let typeUrl = '';
  let valueStart = -1;
  let valueEnd = -1;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) typeUrl = readString(r);
    else if (tag === ((2 << 3) | 2)) {
      valueEnd = r.lengthEnd();
      valueStart = r.pos;
      r.pos = valueEnd;
    } else r.skip(tag);
  }
  r.end = outer;
  if (typeUrl !== RETRY_INFO_TYPE_URL || valueStart < 0) return undefined;
  const v = new WireReader(r.buf, valueStart, valueEnd);
  v.field = 'google.rpc.RetryInfo';
  let delay: number | undefined;
  while (v.pos < v.end) {
    const tag = v.tag();
    if (tag !== ((1 << 3) | 2)) {
      v.skip(tag);
      continue;
    }
    const o = enter(v);
    let seconds = 0n;
    let nanos = 0;
    while (v.pos < v.end) {
      const t = v.tag();
      if (t === ((1 << 3) | 0)) seconds = readInt64(v);
      else if (t === ((2 << 3) | 0)) nanos = v.varint32() | 0;
      else v.skip(t);
    }
    v.end = o;
    const ms = Number(seconds) * 1000 + nanos / 1e6;
    delay = ms < 0 ? 0 : ms;
  }
  return delay;
}
