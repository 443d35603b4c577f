import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatch, trustedBatch } from '../../src/batch.js';
import { countItems } from '../../src/ops/count.js';
import { mergeBatches } from '../../src/ops/merge.js';
import type { Signal } from '../../src/signal.js';
import { genCount, request, writeRequest } from './support/gen.js';
import { flatten } from './support/wire-model.js';

const signals: Signal[] = ['traces', 'metrics', 'logs'];

describe('mergeBatches', () => {
  for (const signal of signals)
    it(`${signal}: merge then count = sum, items in order`, () => {
      fc.assert(
        fc.property(fc.array(request(signal), { minLength: 1, maxLength: 4 }), (reqs) => {
          const batches = reqs.map((r) => createBatch(signal, writeRequest(r)).unwrap());
          const merged = mergeBatches(batches).unwrap();
          const sum = reqs.reduce((a, r) => a + genCount(r), 0);
          expect(merged.itemCount).toBe(sum);
          expect(countItems(signal, merged.bytes).unwrap()).toBe(sum);
          expect(flatten(signal, merged.bytes)).toEqual(batches.flatMap((b) => flatten(signal, b.bytes)));
        }),
        { numRuns: 60 },
      );
    });

  it('keeps the first batch metadata unless given', () => {
    const a = createBatch('logs', new Uint8Array(0), { topic: 'a' }).unwrap();
    const b = createBatch('logs', new Uint8Array(0), { topic: 'b' }).unwrap();
    expect(mergeBatches([a, b]).unwrap().metadata).toEqual({ topic: 'a' });
    expect(mergeBatches([a, b], { topic: 'c' }).unwrap().metadata).toEqual({ topic: 'c' });
    expect(mergeBatches([a], { topic: 'c' }).unwrap().metadata).toEqual({ topic: 'c' });
    expect(mergeBatches([a]).unwrap()).toBe(a);
  });

  it('refuses an empty list and mixed signals', () => {
    expect(mergeBatches([]).isErr()).toBe(true);
    const r = mergeBatches([
      trustedBatch('logs', new Uint8Array(0), 0),
      trustedBatch('traces', new Uint8Array(0), 0),
    ]);
    expect(r.isErr() && r.error.code).toBe('ERR_PDATA_INVALID');
  });
});
