import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatch, trustedBatch } from '../../src/batch.js';
import { WireWriter } from '../../src/internal/wire-writer.js';
import { countItems } from '../../src/ops/count.js';
import { mergeBatches } from '../../src/ops/merge.js';
import { splitBatch } from '../../src/ops/split.js';
import type { Signal } from '../../src/signal.js';
import { genCount, request, writeKv, writeRequest, type GenRequest } from './support/gen.js';
import { flatten, parseFields } from './support/wire-model.js';

const signals: Signal[] = ['traces', 'metrics', 'logs'];

const limits = fc.record(
  { maxItems: fc.integer({ min: 1, max: 12 }), maxBytes: fc.integer({ min: 60, max: 4000 }) },
  { requiredKeys: [] },
);

function sampleNonEmpty(seed: number): GenRequest {
  return fc.sample(
    request('traces', 4, 8).filter((r) => genCount(r) > 2),
    { numRuns: 1, seed },
  )[0]!;
}

describe('splitBatch', () => {
  for (const signal of signals)
    it(`${signal}: every item exactly once, in order, with its framing; pieces within limits`, () => {
      fc.assert(
        fc.property(request(signal, 4, 8), limits, (req, lim) => {
          const batch = createBatch(signal, writeRequest(req), { topic: 't' }).unwrap();
          const flat = flatten(signal, batch.bytes);
          const result = splitBatch(batch, lim);
          const needed = Math.max(0, ...flat.map((e) => e.size));
          if (lim.maxBytes !== undefined && needed > lim.maxBytes) {
            expect(result.isErr() && result.error.code).toBe('ERR_PDATA_TOO_LARGE');
            return;
          }
          const pieces = result.unwrap();
          for (const p of pieces) {
            expect(p.metadata).toEqual({ topic: 't' });
            expect(countItems(signal, p.bytes).unwrap()).toBe(p.itemCount);
            if (lim.maxItems !== undefined) expect(p.itemCount).toBeLessThanOrEqual(lim.maxItems);
            if (lim.maxBytes !== undefined) expect(p.bytes.length).toBeLessThanOrEqual(lim.maxBytes);
          }
          expect(pieces.flatMap((p) => flatten(signal, p.bytes))).toEqual(flat);
          expect(flatten(signal, mergeBatches(pieces).unwrap().bytes)).toEqual(flat);
          // Greedy: a piece is only cut when the next item would not fit.
          if (lim.maxBytes === undefined && lim.maxItems !== undefined)
            for (const p of pieces.slice(0, -1)) expect(p.itemCount).toBe(lim.maxItems);
        }),
        { numRuns: 150 },
      );
    });

  it('returns the batch itself when it fits', () => {
    const b = createBatch('traces', writeRequest(sampleNonEmpty(1))).unwrap();
    expect(splitBatch(b, { maxItems: b.itemCount + 1, maxBytes: b.bytes.length }).unwrap()).toEqual([b]);
    expect(splitBatch(b, {}).unwrap()).toEqual([b]);
  });

  it('refuses bad limits', () => {
    const b = trustedBatch('logs', new Uint8Array(0), 0);
    for (const l of [{ maxItems: 0 }, { maxBytes: -1 }, { maxItems: 1.5 }, { maxBytes: Number.NaN }])
      expect(splitBatch(b, l).isErr()).toBe(true);
  });

  it('splits a Metric at data points, repeating name, description, unit, temporality, monotonic and metadata', () => {
    const w = new WireWriter();
    w.begin(); // ResourceMetrics
    w.begin();
    writeKv(w, 1, ['service.name', { s: 'svc' }]);
    w.end(1);
    w.begin(); // ScopeMetrics
    w.begin();
    w.stringField(1, 'meter');
    w.end(1);
    w.begin(); // Metric
    w.stringField(1, 'requests');
    w.stringField(2, 'how many');
    w.stringField(3, '1');
    w.begin(); // Sum
    for (let i = 0; i < 5; i++) {
      w.begin();
      w.tag(3, 1);
      w.fixed64(BigInt(i));
      w.tag(6, 1);
      w.fixed64(BigInt(i * 10));
      w.end(1);
    }
    w.tag(2, 0);
    w.varint32(2);
    w.tag(3, 0);
    w.varint32(1);
    w.end(7);
    writeKv(w, 12, ['m', { s: 'x' }]);
    w.end(2);
    w.stringField(3, 'https://scope.schema');
    w.end(2);
    w.stringField(3, 'https://resource.schema');
    w.end(1);
    const batch = createBatch('metrics', w.finish()).unwrap();
    const pieces = splitBatch(batch, { maxItems: 2 }).unwrap();
    expect(pieces.map((p) => p.itemCount)).toEqual([2, 2, 1]);
    for (const p of pieces) {
      const rl = parseFields(parseFields(p.bytes)[0]!.payload);
      expect(rl.map((f) => f.fn)).toEqual([1, 2, 3]);
      expect(Buffer.from(rl[2]!.payload).toString()).toBe('https://resource.schema');
      const sl = parseFields(rl[1]!.payload);
      expect(sl.map((f) => f.fn)).toEqual([1, 2, 3]);
      const metric = parseFields(sl[1]!.payload);
      expect(metric.map((f) => f.fn)).toEqual([1, 2, 3, 7, 12]);
      const sum = parseFields(metric[3]!.payload);
      expect(sum.map((f) => f.fn)).toEqual([...Array<number>(p.itemCount).fill(1), 2, 3]);
    }
    expect(flatten('metrics', mergeBatches(pieces).unwrap().bytes)).toEqual(flatten('metrics', batch.bytes));
  });

  it('names the size and the limit when one item cannot fit', () => {
    const b = createBatch('traces', writeRequest(sampleNonEmpty(7))).unwrap();
    const big = splitBatch(b, { maxBytes: 20 });
    expect(big.isErr()).toBe(true);
    if (big.isErr()) {
      expect(big.error.code).toBe('ERR_PDATA_TOO_LARGE');
      expect(big.error.message).toMatch(/Span of \d+ bytes does not fit maxBytes 20/);
      expect(big.error.offset).toBeGreaterThan(0);
    }
  });

  it('reports hostile bytes as an Err naming offset and field', () => {
    // ResourceSpans whose ScopeSpans claims more bytes than exist.
    const bytes = Uint8Array.of(0x0a, 0x04, 0x12, 0x7f, 0x0a, 0x00);
    const r = splitBatch(trustedBatch('traces', bytes, 5), { maxItems: 1 });
    expect(r.isErr()).toBe(true);
    if (r.isErr()) {
      expect(r.error.code).toBe('ERR_PDATA_LENGTH');
      expect(r.error.offset).toBe(3);
      expect(r.error.field).toBe('ResourceSpans.ScopeSpans');
    }
  });
});
