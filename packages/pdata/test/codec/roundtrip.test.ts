import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RequestOf, type Signal, countItems, decodeRequest, encodeRequest } from '../../src/index.js';
import { requests } from '../fixtures/arbitraries.js';

function items(signal: Signal, req: RequestOf<Signal>): number {
  let n = 0;
  if (signal === 'traces')
    for (const rs of (req as RequestOf<'traces'>).resourceSpans)
      for (const ss of rs.scopeSpans) n += ss.spans.length;
  if (signal === 'logs')
    for (const rl of (req as RequestOf<'logs'>).resourceLogs)
      for (const sl of rl.scopeLogs) n += sl.logRecords.length;
  if (signal === 'metrics')
    for (const rm of (req as RequestOf<'metrics'>).resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const m of sm.metrics) {
          const d = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
          n += d?.dataPoints.length ?? 0;
        }
  return n;
}

describe.each(['traces', 'metrics', 'logs'] as const)('protobuf round trip: %s', (signal) => {
  it('decode(encode(x)) equals x and re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(requests[signal] as fc.Arbitrary<RequestOf<typeof signal>>, (req) => {
        const bytes = encodeRequest(signal, req);
        const decoded = decodeRequest(signal, bytes);
        expect(decoded.isOk()).toBe(true);
        expect(decoded.unwrap()).toEqual(req);
        expect(encodeRequest(signal, decoded.unwrap())).toEqual(bytes);
        expect(countItems(signal, bytes).unwrap()).toBe(items(signal, req));
      }),
      { numRuns: 200 },
    );
  });
});
