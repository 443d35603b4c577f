import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUtf8Range } from '../../src/internal/utf8.js';

/** Bytes near UTF-8's edges: lead bytes, continuations, the overlong / surrogate / U+10FFFF boundaries. */
const edgy = fc.constantFrom(
  0x00,
  0x41,
  0x7f,
  0x80,
  0x8f,
  0x90,
  0x9f,
  0xa0,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xdf,
  0xe0,
  0xed,
  0xee,
  0xef,
  0xf0,
  0xf4,
  0xf5,
  0xff,
);
const byteArrays = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.array(edgy, { maxLength: 12 }).map((a) => Uint8Array.from(a)),
  fc.string({ unit: 'binary', maxLength: 100 }).chain((s) => {
    const b = Buffer.from(s);
    return fc.tuple(fc.nat(), edgy).map(([at, v]) => {
      const c = new Uint8Array(b);
      if (c.length) c[at % c.length] = v;
      return c;
    });
  }),
);

describe('isUtf8Range', () => {
  it("agrees with node:buffer's isUtf8 on any bytes and any range", () => {
    fc.assert(
      fc.property(byteArrays, fc.nat(), fc.nat(), (b, x, y) => {
        const start = b.length ? x % (b.length + 1) : 0;
        const end = start + (b.length - start ? y % (b.length - start + 1) : 0);
        expect(isUtf8Range(b, start, end)).toBe(isUtf8(b.subarray(start, end)));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['overlong 2-byte', [0xc0, 0xaf], false],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf], false],
    ['surrogate', [0xed, 0xa0, 0x80], false],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], false],
    ['truncated', [0xe2, 0x9c], false],
    ['U+10FFFF', [0xf4, 0x8f, 0xbf, 0xbf], true],
    ['U+FFFD', [0xef, 0xbf, 0xbd], true],
  ])('%s', (_, bytes, valid) => {
    expect(isUtf8Range(Uint8Array.from(bytes), 0, bytes.length)).toBe(valid);
  });
});
