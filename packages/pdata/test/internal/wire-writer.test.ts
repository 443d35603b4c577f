import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireReader } from '../../src/internal/wire-reader.js';
import { WireWriter } from '../../src/internal/wire-writer.js';

describe('WireWriter fast paths', () => {
  it('writes strings of every length and alphabet as tag, minimal length, UTF-8', () => {
    const cases = ['', 'a', 'x'.repeat(127), 'x'.repeat(128), 'x'.repeat(20_000), 'é', `${'a'.repeat(126)}é`, '🚀'];
    for (const s of cases) {
      const w = new WireWriter(4); // tiny initial buffer: every path must grow it
      w.stringField(3, s);
      const utf8 = Buffer.from(s, 'utf8');
      const len: number[] = [];
      let n = utf8.length;
      while (n > 0x7f) {
        len.push((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      len.push(n);
      expect(Buffer.from(w.finish())).toEqual(Buffer.from([0x1a, ...len, ...utf8]));
    }
  });

  it('writes doubles and fixed64 values little-endian, across buffer growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double(), fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n })), { maxLength: 40 }), (vals) => {
        const w = new WireWriter(1);
        for (const [d, b] of vals) {
          w.double(d);
          w.fixed64(b);
        }
        const r = new WireReader(w.finish());
        for (const [d, b] of vals) {
          expect(r.double()).toBe(d);
          expect(r.fixed64()).toBe(BigInt.asUintN(64, b));
        }
        expect(r.done()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
