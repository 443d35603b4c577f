import { describe, expect, it } from 'vitest';
import { createBatch, trustedBatch, withMetadata } from '../src/batch.js';
import { sdkTraceRequest } from './ops/support/sdk.js';

describe('Batch', () => {
  it('createBatch counts items and keeps the bytes and metadata', () => {
    const bytes = sdkTraceRequest(2, 3);
    const b = createBatch('traces', bytes, { topic: 't' }).unwrap();
    expect(b.itemCount).toBe(12);
    expect(b.bytes).toBe(bytes);
    expect(b.metadata).toEqual({ topic: 't' });
    expect(Object.isFrozen(b)).toBe(true);
    expect(createBatch('traces', bytes, undefined, { deep: true }).unwrap().itemCount).toBe(12);
  });

  it('createBatch refuses malformed bytes with a PdataError value', () => {
    const r = createBatch('logs', Uint8Array.of(0x0a, 0x05, 0x12));
    expect(r.isErr() && r.error.code).toBe('ERR_PDATA_LENGTH');
    const deep = createBatch('logs', Uint8Array.of(0x0a, 0x02, 0x08, 0x01), undefined, { deep: true });
    expect(deep.isErr() && deep.error.code).toBe('ERR_PDATA_WIRE_TYPE');
  });

  it('withMetadata replaces only the metadata', () => {
    const b = trustedBatch('metrics', new Uint8Array(0), 0);
    expect(b.metadata).toEqual({});
    const m = withMetadata(b, { headers: { a: ['1'] } });
    expect(m.bytes).toBe(b.bytes);
    expect(m.metadata).toEqual({ headers: { a: ['1'] } });
    expect(b.metadata).toEqual({});
  });
});
