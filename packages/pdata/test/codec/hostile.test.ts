import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnyValue,
  PdataError,
  type RequestOf,
  SIGNALS,
  type Signal,
  decodeRequest,
  encodeRequest,
  protoToJson,
} from '../../src/index.js';
import { requests } from '../fixtures/arbitraries.js';

/** Minimal protobuf builders for hand-made (and malformed) inputs. */
function varint(v: number | bigint): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  while (x > 0x7fn) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}
const tag = (field: number, wt: number): number[] => varint((field << 3) | wt);
const len = (field: number, body: number[]): number[] => [...tag(field, 2), ...varint(body.length), ...body];
const str = (field: number, s: string): number[] => len(field, [...Buffer.from(s, 'utf8')]);
const fixed64 = (field: number, v: bigint): number[] => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return [...tag(field, 1), ...b];
};
const dbl = (v: number): number[] => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...b];
};
/** ExportTraceServiceRequest with one span whose body is given. */
const traceWithSpan = (span: number[]): Uint8Array => Uint8Array.from(len(1, len(2, len(2, span))));

function expectErr(signal: Signal, bytes: Uint8Array): PdataError {
  const r = decodeRequest(signal, bytes);
  expect(r.isErr()).toBe(true);
  const e = r.isErr() ? r.error : undefined;
  expect(e).toBeInstanceOf(PdataError);
  return e!;
}

describe('decoding hostile input', () => {
  it('random bytes never throw and always terminate', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIGNALS), fc.uint8Array({ maxLength: 300 }), (signal, bytes) => {
        const r = decodeRequest(signal, bytes);
        if (r.isOk()) {
          // Whatever decoded must encode and decode to the same objects.
          expect(decodeRequest(signal, encodeRequest(signal, r.value)).unwrap()).toEqual(r.value);
        } else {
          expect(r.error).toBeInstanceOf(PdataError);
          expect(r.error.offset).toBeGreaterThanOrEqual(0);
          expect(r.error.offset).toBeLessThanOrEqual(bytes.length);
        }
        expect(protoToJson(signal, bytes).isOk()).toBe(r.isOk());
      }),
      { numRuns: 500 },
    );
  });

  it('mutated valid requests (bit flips, truncations, length bumps, splices) never throw', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('bump' as const), at: fc.nat(), by: fc.integer({ min: 1, max: 200 }) }),
      fc.record({
        kind: fc.constant('splice' as const),
        at: fc.nat(),
        junk: fc.uint8Array({ minLength: 1, maxLength: 12 }),
      }),
    );
    const signalAndRequest = fc.oneof(
      ...SIGNALS.map((s) =>
        (requests[s] as fc.Arbitrary<RequestOf<Signal>>).map((req) => ({
          signal: s,
          bytes: encodeRequest(s, req),
        })),
      ),
    );
    fc.assert(
      fc.property(
        signalAndRequest,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        ({ signal, bytes }, muts) => {
          let b = Uint8Array.from(bytes);
          for (const m of muts) {
            if (b.length === 0) break;
            const at = m.at % b.length;
            if (m.kind === 'flip') b[at]! ^= 1 << m.bit;
            else if (m.kind === 'truncate') b = b.slice(0, at);
            else if (m.kind === 'bump') b[at] = (b[at]! + m.by) & 0xff;
            else b = Uint8Array.from([...b.subarray(0, at), ...m.junk, ...b.subarray(at)]);
          }
          const r = decodeRequest(signal, b);
          if (r.isOk())
            expect(decodeRequest(signal, encodeRequest(signal, r.value)).unwrap()).toEqual(r.value);
          else expect(r.error).toBeInstanceOf(PdataError);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a truncated request is an error naming the offset and the field', () => {
    const bytes = traceWithSpan([...str(5, 'operation-name'), ...fixed64(7, 123n)]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const e = expectErr('traces', bytes.subarray(0, cut));
      expect(['ERR_PDATA_TRUNCATED', 'ERR_PDATA_LENGTH']).toContain(e.code);
      expect(e.field).not.toBe('');
      expect(e.message).toContain(`offset ${e.offset}`);
    }
  });

  it('an absurd length is refused before anything is allocated', () => {
    const e = expectErr('traces', Uint8Array.from([...tag(1, 2), 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    expect(e.code).toBe('ERR_PDATA_LENGTH');
    expect(e.offset).toBe(1);
    expect(e.field).toBe('ExportTraceServiceRequest.resource_spans');
  });

  it('a length that does not fit in 32 bits does not wrap around', () => {
    // 2^32 + 2: its low 32 bits would read as length 2.
    const e = expectErr('logs', Uint8Array.from([...tag(1, 2), ...varint(2 ** 32 + 2), 0, 0]));
    expect(e.code).toBe('ERR_PDATA_LENGTH');
  });

  it('a known field with the wrong wire type is an error naming it', () => {
    const e = expectErr('traces', traceWithSpan([...tag(5, 0), 1]));
    expect(e.code).toBe('ERR_PDATA_WIRE_TYPE');
    expect(e.field).toBe('Span.name');
    const e2 = expectErr('traces', traceWithSpan([...tag(7, 0), 1]));
    expect(e2.field).toBe('Span.start_time_unix_nano');
  });

  it('group wire types, field number 0 and overlong varints are errors', () => {
    expect(expectErr('traces', traceWithSpan([...tag(99, 3)])).code).toBe('ERR_PDATA_WIRE_TYPE');
    expect(expectErr('traces', traceWithSpan([0x00, 0x00])).code).toBe('ERR_PDATA_INVALID');
    expect(expectErr('traces', traceWithSpan([...tag(10, 0), ...Array(10).fill(0xff), 1])).code).toBe(
      'ERR_PDATA_VARINT',
    );
  });

  it('a packed fixed64 whose length is not a multiple of 8 is an error', () => {
    const dp = len(6, [1, 2, 3]);
    const req = Uint8Array.from(len(1, len(2, len(2, len(9, len(1, dp))))));
    const e = expectErr('metrics', req);
    expect(e.code).toBe('ERR_PDATA_LENGTH');
    expect(e.field).toBe('HistogramDataPoint.bucket_counts');
  });

  it('AnyValue nesting is bounded at 64 levels', () => {
    const nested = (depth: number): number[] => {
      let v = str(1, 'leaf'); // AnyValue{string_value}
      for (let i = 0; i < depth; i++) v = len(5, len(1, v)); // AnyValue{array_value{values[v]}}
      return v;
    };
    const withBody = (depth: number) => Uint8Array.from(len(1, len(2, len(2, len(5, nested(depth))))));
    expect(decodeRequest('logs', withBody(64)).isOk()).toBe(true);
    const e = expectErr('logs', withBody(65));
    expect(e.code).toBe('ERR_PDATA_INVALID');
    expect(e.field).toBe('AnyValue');

    let deep: AnyValue = { stringValue: 'leaf' };
    for (let i = 0; i < 70; i++) deep = { arrayValue: { values: [deep] } };
    const req: RequestOf<'logs'> = {
      resourceLogs: [
        { scopeLogs: [{ logRecords: [{ body: deep } as never], schemaUrl: '' }], schemaUrl: '' },
      ],
    };
    expect(() => encodeRequest('logs', req)).toThrow(PdataError);
  });
});

describe('decoding valid variations', () => {
  it('skips unknown fields of every wire type', () => {
    const plain = traceWithSpan([...str(5, 'op')]);
    const noisy = traceWithSpan([
      ...tag(100, 0),
      ...varint(12345),
      ...str(5, 'op'),
      ...len(101, [1, 2, 3]),
      ...tag(102, 1),
      ...dbl(1),
      ...tag(103, 5),
      1,
      2,
      3,
      4,
    ]);
    expect(decodeRequest('traces', noisy).unwrap()).toEqual(decodeRequest('traces', plain).unwrap());
    expect(encodeRequest('traces', decodeRequest('traces', noisy).unwrap())).toEqual(plain);
  });

  it('accepts packed and unpacked repeated scalars alike and encodes them packed', () => {
    const fixed = (v: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(v);
      return [...b];
    };
    const packedDp = [...len(6, [...fixed(1n), ...fixed(2n)]), ...len(7, [...dbl(0.5), ...dbl(-1)])];
    const unpackedDp = [
      ...tag(6, 1),
      ...fixed(1n),
      ...tag(7, 1),
      ...dbl(0.5),
      ...tag(6, 1),
      ...fixed(2n),
      ...tag(7, 1),
      ...dbl(-1),
    ];
    const hist = (dp: number[]) => Uint8Array.from(len(1, len(2, len(2, len(9, len(1, dp))))));
    const a = decodeRequest('metrics', hist(packedDp)).unwrap();
    const b = decodeRequest('metrics', hist(unpackedDp)).unwrap();
    expect(b).toEqual(a);
    const dp = a.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.histogram!.dataPoints[0]!;
    expect(dp.bucketCounts).toEqual([1n, 2n]);
    expect(dp.explicitBounds).toEqual([0.5, -1]);
    expect(encodeRequest('metrics', b)).toEqual(hist(packedDp));

    const expBuckets = (counts: number[]) =>
      Uint8Array.from(len(1, len(2, len(2, len(10, len(1, len(8, counts)))))));
    const packed = decodeRequest(
      'metrics',
      expBuckets([...tag(1, 0), ...varint(5), ...len(2, [...varint(3), ...varint(300)])]),
    );
    const unpacked = decodeRequest(
      'metrics',
      expBuckets([...tag(1, 0), ...varint(5), ...tag(2, 0), ...varint(3), ...tag(2, 0), ...varint(300)]),
    );
    expect(unpacked.unwrap()).toEqual(packed.unwrap());
    const buckets =
      packed.unwrap().resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.exponentialHistogram!.dataPoints[0]!
        .positive;
    expect(buckets).toEqual({ offset: -3, bucketCounts: [3n, 300n] }); // sint32 zigzag 5 -> -3
  });

  it('a oneof takes the member that comes last on the wire', () => {
    const keyValue = [...str(1, 'k'), ...len(2, [...str(1, 'text'), ...tag(3, 0), ...varint(-5)])];
    const req = decodeRequest('traces', traceWithSpan(len(9, keyValue)));
    expect(req.unwrap().resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes[0]!.value).toEqual({
      intValue: -5n,
    });
  });

  it('keeps a leading byte order mark and decodes multi-byte UTF-8', () => {
    const name = '\uFEFFnamé ✓ 🚀';
    const req = decodeRequest('traces', traceWithSpan(str(5, name))).unwrap();
    expect(req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe(name);
  });

  it('keeps empty present messages apart from absent ones', () => {
    const withStatus = decodeRequest('traces', traceWithSpan(len(15, []))).unwrap();
    const without = decodeRequest('traces', traceWithSpan([])).unwrap();
    expect(withStatus.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.status).toEqual({ message: '', code: 0 });
    expect(without.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.status).toBeUndefined();
    expect(encodeRequest('traces', withStatus)).toEqual(traceWithSpan(len(15, [])));
  });

  it('decodes negative enums and int64 values', () => {
    const span = decodeRequest('traces', traceWithSpan([...tag(6, 0), ...varint(-1)])).unwrap()
      .resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.kind).toBe(-1);
    expect(
      encodeRequest('traces', decodeRequest('traces', traceWithSpan([...tag(6, 0), ...varint(-1)])).unwrap()),
    ).toEqual(traceWithSpan([...tag(6, 0), ...varint(-1)]));
  });
});
