import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatch, trustedBatch, type Batch } from '../../src/batch.js';
import { PdataError } from '../../src/errors.js';
import { countItems } from '../../src/ops/count.js';
import { groupByResource, groupByResourceAttribute, groupByTraceId } from '../../src/ops/group.js';
import { mergeBatches } from '../../src/ops/merge.js';
import { editItems, forEachItem } from '../../src/ops/items.js';
import { editResource } from '../../src/ops/resource.js';
import { splitBatch } from '../../src/ops/split.js';
import type { Signal } from '../../src/signal.js';
import type { Result } from 'ts-results-es';
import { anyRequest, writeRequest } from './support/gen.js';

const signal = fc.constantFrom<Signal>('traces', 'metrics', 'logs');

/** Valid requests with bytes flipped, cut, inserted or overwritten with large varints. */
const mutated: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    anyRequest.map(writeRequest),
    fc.array(
      fc.record({
        kind: fc.constantFrom('flip', 'cut', 'insert', 'bigvarint'),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([bytes, muts]) => {
    let b = Array.from(bytes);
    for (const m of muts) {
      const at = b.length ? m.at % b.length : 0;
      if (m.kind === 'flip') b[at] = m.byte;
      else if (m.kind === 'cut') b = b.slice(0, at);
      else if (m.kind === 'insert') b.splice(at, 0, m.byte);
      else b.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x0f);
    }
    return Uint8Array.from(b);
  });

const hostile = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated);

function checkResult<T>(r: Result<T, PdataError>): void {
  if (r.isErr()) {
    expect(r.error).toBeInstanceOf(PdataError);
    expect(r.error.code).toMatch(/^ERR_PDATA_/);
  }
}

function everyOp(batch: Batch): void {
  for (const limits of [{ maxItems: 1 }, { maxBytes: 64 }, { maxItems: 3, maxBytes: 200 }])
    checkResult(splitBatch(batch, limits));
  checkResult(mergeBatches([batch, batch]));
  checkResult(groupByTraceId(batch));
  checkResult(groupByResource(batch));
  checkResult(groupByResourceAttribute(batch, 'service.name'));
  checkResult(
    editResource(batch, [
      { key: 'service.name', action: 'upsert', value: 'x' },
      { key: 'a', action: 'hash' },
    ]),
  );
  // Every getter of the item view, and edits, on whatever the bytes hold.
  checkResult(
    forEachItem(batch, (item) => {
      void [item.name(), item.traceId(), item.spanId(), item.statusCode(), item.body(), item.metricName()];
      void [item.attributes(), item.resourceAttributes(), item.scopeName(), item.timeUnixNano(), item.kind()];
    }),
  );
  checkResult(
    editItems(batch, (item) => {
      item.setAttribute('k', 1);
      item.removeAttribute('a');
      return item.index % 2 === 0;
    }),
  );
}

describe('hostile bytes', () => {
  it('no operation throws; errors are PdataError values', () => {
    fc.assert(
      fc.property(signal, hostile, fc.nat(50), (s, bytes, claimed) => {
        checkResult(countItems(s, bytes));
        const created = createBatch(s, bytes);
        checkResult(created);
        everyOp(trustedBatch(s, bytes, claimed));
      }),
      { numRuns: 1000 },
    );
  });

  it('bytes createBatch accepts split without loss', () => {
    fc.assert(
      fc.property(signal, mutated, (s, bytes) => {
        const created = createBatch(s, bytes);
        if (created.isErr()) return;
        const batch = created.value;
        everyOp(batch);
        const pieces = splitBatch(batch, { maxItems: 2 }).unwrap();
        expect(pieces.reduce((a, p) => a + p.itemCount, 0)).toBe(batch.itemCount);
        for (const p of pieces) expect(countItems(s, p.bytes).unwrap()).toBe(p.itemCount);
      }),
      { numRuns: 500 },
    );
  });

  it('a huge length field is refused without allocating it', () => {
    // ResourceSpans claiming 4 GiB - 1.
    const bytes = Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
    const b = trustedBatch('traces', bytes, 2);
    for (const r of [splitBatch(b, { maxItems: 1, maxBytes: 10 }), groupByTraceId(b), groupByResource(b)]) {
      expect(r.isErr() && r.error.code).toBe('ERR_PDATA_LENGTH');
      if (r.isErr()) expect(r.error.offset).toBe(1);
    }
    const e = editResource(b, [{ key: 'k', action: 'delete' }]);
    expect(e.isErr() && e.error.field).toBe('ResourceSpans');
  });
});
