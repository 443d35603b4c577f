import {
  decodeRequest,
  type Batch,
  type KeyValue,
  type PdataError,
  type RequestOf,
  type Signal,
} from '@otlp-kafka/pdata';
import { Err, Ok, type Result } from 'ts-results-es';
import { TEST_ID } from './internal/build.js';
import { toHex } from './internal/prng.js';

/** The attribute the load generator puts on data points and log records. */
export const TEST_ID_ATTRIBUTE = TEST_ID;

/**
 * The id of every item of a batch, in wire order: a span's id in hex; a data
 * point's `test.id` attribute; a log record's `test.id`, else its span id in
 * hex. An item without an id is '' (counted as unidentified). Decodes the
 * whole request: for tests, not for hot paths.
 */
export function itemIds(batch: Batch): Result<string[], PdataError> {
  const decoded = decodeRequest(batch.signal, batch.bytes);
  if (decoded.isErr()) return Err(decoded.error);
  return Ok(idsOfRequest(batch.signal, decoded.value));
}

export function idsOfRequest<S extends Signal>(signal: S, request: RequestOf<S>): string[] {
  const ids: string[] = [];
  if (signal === 'traces') {
    for (const rs of (request as RequestOf<'traces'>).resourceSpans)
      for (const ss of rs.scopeSpans) for (const span of ss.spans) ids.push(toHex(span.spanId));
  } else if (signal === 'metrics') {
    for (const rm of (request as RequestOf<'metrics'>).resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const m of sm.metrics) {
          const data = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
          for (const dp of data?.dataPoints ?? []) ids.push(testId(dp.attributes));
        }
  } else {
    for (const rl of (request as RequestOf<'logs'>).resourceLogs)
      for (const sl of rl.scopeLogs)
        for (const lr of sl.logRecords) ids.push(testId(lr.attributes) || toHex(lr.spanId));
  }
  return ids;
}

function testId(attributes: readonly KeyValue[]): string {
  for (const a of attributes) if (a.key === TEST_ID) return a.value?.stringValue ?? '';
  return '';
}
