import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RETRY_INFO_TYPE_URL, decodeGrpcRetryDelayMs, encodeGrpcStatusDetails } from '../../src/index.js';

/** Independent reader of a google.rpc.Status for the checks below. */
function fields(buf: Uint8Array): { field: number; wt: number; value: bigint | Uint8Array }[] {
  const out: { field: number; wt: number; value: bigint | Uint8Array }[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) return v;
    }
  };
  while (pos < buf.length) {
    const t = Number(varint());
    const field = t >> 3;
    const wt = t & 7;
    if (wt === 0) out.push({ field, wt, value: varint() });
    else if (wt === 2) {
      const n = Number(varint());
      out.push({ field, wt, value: buf.subarray(pos, pos + n) });
      pos += n;
    } else throw new Error(`unexpected wire type ${wt}`);
  }
  return out;
}

describe('gRPC status details', () => {
  it('encodes google.rpc.Status with a RetryInfo detail', () => {
    const bytes = encodeGrpcStatusDetails({ code: 8, message: 'over budget', retryDelayMs: 1500 });
    const status = fields(bytes);
    expect(status[0]).toEqual({ field: 1, wt: 0, value: 8n });
    expect(Buffer.from(status[1]!.value as Uint8Array).toString()).toBe('over budget');
    expect(status[2]!.field).toBe(3);
    const any = fields(status[2]!.value as Uint8Array);
    expect(Buffer.from(any[0]!.value as Uint8Array).toString()).toBe(RETRY_INFO_TYPE_URL);
    expect(RETRY_INFO_TYPE_URL).toBe('type.googleapis.com/google.rpc.RetryInfo');
    const retryInfo = fields(any[1]!.value as Uint8Array);
    const duration = fields(retryInfo[0]!.value as Uint8Array);
    expect(duration).toEqual([
      { field: 1, wt: 0, value: 1n },
      { field: 2, wt: 0, value: 500_000_000n },
    ]);
    expect(decodeGrpcRetryDelayMs(bytes)).toBe(1500);
  });

  it('without a delay there is no detail', () => {
    const bytes = encodeGrpcStatusDetails({ code: 14, message: 'down' });
    expect(fields(bytes).map((f) => f.field)).toEqual([1, 2]);
    expect(decodeGrpcRetryDelayMs(bytes)).toBeUndefined();
    expect(decodeGrpcRetryDelayMs(encodeGrpcStatusDetails({ code: 8, retryDelayMs: 0 }))).toBe(0);
  });

  it('round-trips delays and never throws on garbage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 16 }), (ms, code) => {
        expect(decodeGrpcRetryDelayMs(encodeGrpcStatusDetails({ code, retryDelayMs: ms }))).toBe(ms);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const d = decodeGrpcRetryDelayMs(bytes);
        expect(d === undefined || (typeof d === 'number' && d >= 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('ignores details of other types', () => {
    const other = [0x1a, 0x0a, 0x0a, 0x03, 0x61, 0x2f, 0x62, 0x12, 0x03, 0x0a, 0x01, 0x08];
    const retry = encodeGrpcStatusDetails({ code: 8, retryDelayMs: 250 });
    expect(decodeGrpcRetryDelayMs(Uint8Array.from(other))).toBeUndefined();
    expect(decodeGrpcRetryDelayMs(Uint8Array.from([...other, ...retry]))).toBe(250);
  });
});
