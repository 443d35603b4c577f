import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireReader } from '../../src/internal/wire-reader.js';
import { WireWriter } from '../../src/internal/wire-writer.js';
import { validateRequest } from '../../src/ops/validate.js';
import { anyValue, writeAny } from '../ops/support/gen.js';

describe('WireWriter fast paths', () => {
  it('writes strings of every length and alphabet as tag, minimal length, UTF-8', () => {
    const cases = [
      '',
      'a',
      'x'.repeat(127),
      'x'.repeat(128),
      'x'.repeat(20_000),
      'é',
      `${'a'.repeat(126)}é`,
      '🚀',
    ];
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
      fc.property(
        fc.array(fc.tuple(fc.double(), fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n })), {
          maxLength: 40,
        }),
        (vals) => {
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
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps a nested message whose header write grows the buffer', () => {
    // end() rewinds to write the header in front of the content; the length varint's growth check fires there
    // (5 bytes free needed, 4 left). Growing used to copy only up to the rewound position and lost the content:
    // AnyValue{string_value: ""} came out as 2a 02 00 00, which every reader refuses ("field number 0").
    const w = new WireWriter(5);
    w.begin();
    w.stringField(1, '');
    w.end(5);
    expect(Buffer.from(w.finish())).toEqual(Buffer.from([0x2a, 0x02, 0x0a, 0x00]));

    // The same bytes as a whole logs request: ResourceLogs > ScopeLogs > LogRecord > body.
    const r = new WireWriter(5);
    for (let i = 0; i < 4; i++) r.begin();
    r.stringField(1, '');
    for (const f of [5, 2, 2, 1]) r.end(f);
    const bytes = r.finish();
    expect(Buffer.from(bytes)).toEqual(Buffer.from('0a08120612042a020a00', 'hex'));
    expect(validateRequest('logs', bytes).isOk()).toBe(true);
  });

  it('writes the same bytes whatever the initial buffer size', () => {
    // The loss needed a nested message of at most 3 bytes starting exactly 5 bytes before the end of the
    // buffer, so walk every such position exhaustively rather than hoping a random run lands there.
    const write = (w: WireWriter, padding: number, s: string, depth: number): Uint8Array => {
      w.bytesField(15, new Uint8Array(padding));
      for (let d = 0; d < depth; d++) w.begin();
      w.stringField(1, s);
      for (let d = 0; d < depth; d++) w.end(5);
      return w.finish();
    };
    const wrong: string[] = [];
    for (const s of ['', 'a', 'ab', 'é'])
      for (let depth = 0; depth <= 3; depth++)
        for (let padding = 0; padding <= 80; padding++) {
          const expected = Buffer.from(write(new WireWriter(1 << 16), padding, s, depth));
          for (let size = 1; size <= 32; size++)
            if (!expected.equals(write(new WireWriter(size), padding, s, depth)))
              wrong.push(`size ${size} padding ${padding} depth ${depth} ${JSON.stringify(s)}`);
        }
    expect(wrong).toEqual([]);
    fc.assert(
      fc.property(
        fc.array(anyValue, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        (values, size) => {
          const all = (w: WireWriter): Uint8Array => {
            for (const v of values) {
              w.begin();
              writeAny(w, v);
              w.end(5);
            }
            return w.finish();
          };
          expect(Buffer.from(all(new WireWriter(size)))).toEqual(Buffer.from(all(new WireWriter(1 << 16))));
        },
      ),
      { numRuns: 300 },
    );
  });
});
