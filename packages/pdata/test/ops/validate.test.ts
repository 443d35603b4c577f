import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatch } from '../../src/batch.js';
import { decodeRequest } from '../../src/codec/request.js';
import { WireWriter } from '../../src/internal/wire-writer.js';
import { countItems } from '../../src/ops/count.js';
import { validateRequest } from '../../src/ops/validate.js';
import type { Signal } from '../../src/signal.js';
import { anyRequest, writeRequest } from './support/gen.js';
import { sdkLogsRequest, sdkMetricsRequest, sdkTraceRequest } from './support/sdk.js';

/** One ResourceSpans > ScopeSpans > Span whose payload is written by `span`. */
function oneSpan(span: (w: WireWriter) => void): Uint8Array {
  const w = new WireWriter();
  w.begin();
  w.begin();
  w.begin();
  span(w);
  w.end(2);
  w.end(2);
  w.end(1);
  return w.finish();
}

describe('validateRequest', () => {
  it('accepts generated requests of every signal and SDK requests', async () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        expect(validateRequest(req.signal, writeRequest(req)).isOk()).toBe(true);
      }),
      { numRuns: 150 },
    );
    expect(validateRequest('traces', sdkTraceRequest()).isOk()).toBe(true);
    expect(validateRequest('metrics', (await sdkMetricsRequest()).bytes).isOk()).toBe(true);
    expect(validateRequest('logs', sdkLogsRequest()).isOk()).toBe(true);
  });

  it('finds a bad field inside an item that the shallow check accepts', () => {
    const bytes = oneSpan((w) => {
      w.tag(5, 0); // Span.name as a varint
      w.varint32(1);
    });
    expect(countItems('traces', bytes).unwrap()).toBe(1);
    expect(createBatch('traces', bytes).isOk()).toBe(true);
    const deep = createBatch('traces', bytes, undefined, { deep: true });
    expect(deep.isErr()).toBe(true);
    if (deep.isErr()) {
      expect(deep.error.code).toBe('ERR_PDATA_WIRE_TYPE');
      expect(deep.error.field).toBe('resource_spans[0].scope_spans[0].spans[0].name');
      expect(deep.error.message).toBe(
        'resource_spans[0].scope_spans[0].spans[0].name: wire type 0, expected 2 (offset 6)',
      );
      expect(deep.error.offset).toBe(6);
    }
  });

  it('skips unknown fields and accepts packed and unpacked repeated scalars', () => {
    const bytes = oneSpan((w) => {
      w.tag(99, 0);
      w.varint32(7);
      w.stringField(5, 'ok');
    });
    expect(validateRequest('traces', bytes).isOk()).toBe(true);
  });

  it('agrees with the codec on hostile bytes: what decodes is valid, and nothing throws', () => {
    const mutated = fc
      .tuple(
        anyRequest,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
      )
      .map(([req, flips]) => {
        const b = writeRequest(req);
        for (const [at, v] of flips) if (b.length) b[at % b.length] = v;
        return [req.signal, b] as [Signal, Uint8Array];
      });
    fc.assert(
      fc.property(mutated, ([signal, bytes]) => {
        const v = validateRequest(signal, bytes);
        // The codec decodes what validation refuses only for content it does not check
        // (invalid UTF-8 becomes U+FFFD, ids of any length are kept).
        if (decodeRequest(signal, bytes).isOk() && v.isErr())
          expect(v.error.message).toMatch(
            /: (invalid UTF-8 in a string|\d+ bytes, must be (16|8) or empty) /,
          );
        if (v.isOk()) expect(countItems(signal, bytes).isOk()).toBe(true);
      }),
      { numRuns: 600 },
    );
  });
});
