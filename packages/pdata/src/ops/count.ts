import { Err, Ok, type Result } from 'ts-results-es';
import { PdataError } from '../errors.js';
import {
  F_DATA_POINTS,
  F_RECORD,
  F_RESOURCE_LEVEL,
  F_SCOPE_LEVEL,
  METRIC_DATA_FIELDS,
  RECORD_NAME,
  RESOURCE_LEVEL_NAME,
  SCOPE_LEVEL_NAME,
} from '../internal/layout.js';
import { WIRE_LEN, WireReader } from '../internal/wire-reader.js';
import type { Signal } from '../signal.js';

/**
 * Counts spans, metric data points or log records by scanning the wire format,
 * checking every length on the way down to the items.
 */
export function countItems(signal: Signal, bytes: Uint8Array): Result<number, PdataError> {
  try {
    return Ok(scanCount(signal, new WireReader(bytes)));
  } catch (e) {
    if (e instanceof PdataError) return Err(e);
    return Err(new PdataError('ERR_PDATA_INVALID', String(e), -1, '', { cause: e }));
  }
}

/** Internal: throws PdataError. */
export function scanCount(signal: Signal, r: WireReader): number {
  let count = 0;
  const rl = RESOURCE_LEVEL_NAME[signal];
  const sl = SCOPE_LEVEL_NAME[signal];
  const rec = RECORD_NAME[signal];
  while (!r.done()) {
    r.field = 'request';
    const t = r.tag();
    if (t >>> 3 !== F_RESOURCE_LEVEL) {
      r.skip(t);
      continue;
    }
    r.field = rl;
    r.expect(t, WIRE_LEN, rl);
    const rEnd = r.lengthEnd();
    const outerEnd = r.end;
    r.end = rEnd;
    while (!r.done()) {
      r.field = rl;
      const t2 = r.tag();
      if (t2 >>> 3 !== F_SCOPE_LEVEL) {
        r.skip(t2);
        continue;
      }
      r.field = `${rl}.${sl}`;
      r.expect(t2, WIRE_LEN, sl);
      const sEnd = r.lengthEnd();
      const rlEnd = r.end;
      r.end = sEnd;
      while (!r.done()) {
        r.field = `${rl}.${sl}`;
        const t3 = r.tag();
        if (t3 >>> 3 !== F_RECORD) {
          r.skip(t3);
          continue;
        }
        r.field = `${rl}.${sl}.${rec}`;
        r.expect(t3, WIRE_LEN, rec);
        if (signal !== 'metrics') {
          r.pos = r.lengthEnd();
          count++;
        } else {
          count += countDataPoints(r);
        }
      }
      r.end = rlEnd;
    }
    r.end = outerEnd;
  }
  return count;
}

/** Data points of one Metric; the reader stands at the Metric's length prefix. */
export function countDataPoints(r: WireReader): number {
  const mEnd = r.lengthEnd();
  const outerEnd = r.end;
  r.end = mEnd;
  let count = 0;
  while (!r.done()) {
    const t = r.tag();
    if (!METRIC_DATA_FIELDS.has(t >>> 3)) {
      r.skip(t);
      continue;
    }
    r.expect(t, WIRE_LEN, 'Metric.data');
    const dEnd = r.lengthEnd();
    const mEnd2 = r.end;
    r.end = dEnd;
    while (!r.done()) {
      const t2 = r.tag();
      if (t2 >>> 3 === F_DATA_POINTS) {
        r.expect(t2, WIRE_LEN, 'data_points');
        r.pos = r.lengthEnd();
        count++;
      } else r.skip(t2);
    }
    r.end = mEnd2;
  }
  r.end = outerEnd;
  return count;
}
