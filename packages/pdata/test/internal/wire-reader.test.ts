import { describe, expect, it } from 'vitest';
import { PdataError } from '../../src/errors.js';
import { WireReader } from '../../src/internal/wire-reader.js';
import { WireWriter } from '../../src/internal/wire-writer.js';

describe('WireReader fixes', () => {
  it('keeps a leading byte order mark in strings', () => {
    const w = new WireWriter();
    w.stringField(1, '\uFEFFvalue');
    const r = new WireReader(w.finish());
    r.tag();
    expect(r.string()).toBe('\uFEFFvalue');
  });

  it('refuses a length whose varint does not fit in 32 bits instead of wrapping it', () => {
    // 2^32 + 3 encoded as a varint, followed by 3 bytes: low 32 bits would say "3".
    const r = new WireReader(Uint8Array.from([0x83, 0x80, 0x80, 0x80, 0x10, 1, 2, 3]));
    expect(() => r.lengthEnd()).toThrow(PdataError);
    const ok = new WireReader(Uint8Array.from([0x83, 0x80, 0x80, 0x80, 0x00, 1, 2, 3]));
    expect(ok.lengthEnd()).toBe(8);
  });
});
