import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AnyValue } from '@otlp-kafka/pdata';
import {
  asString,
  convertValue,
  hashValue,
  toRegExp,
  type ConvertedType,
} from '../../src/internal/values.js';

describe('hashValue', () => {
  it('is SHA-1 hex of the bytes the Collector hashes', () => {
    const sha1 = (b: string | Uint8Array) => createHash('sha1').update(b).digest('hex');
    expect(hashValue({ stringValue: 'x' })).toBe(sha1('x'));
    expect(hashValue({ boolValue: false })).toBe(sha1(Uint8Array.of(0)));
    expect(hashValue({ intValue: 1n })).toBe(sha1(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0)));
    expect(hashValue({ intValue: -1n })).toBe(sha1(new Uint8Array(8).fill(255)));
    expect(hashValue({ doubleValue: 1 })).toBe(sha1(Uint8Array.of(0, 0, 0, 0, 0, 0, 0xf0, 0x3f)));
  });

  it('leaves the empty string, bytes, arrays and maps', () => {
    expect(hashValue({ stringValue: '' })).toBeUndefined();
    expect(hashValue({ bytesValue: Uint8Array.of(1) })).toBeUndefined();
    expect(hashValue({ arrayValue: { values: [] } })).toBeUndefined();
    expect(hashValue({})).toBeUndefined();
  });
});

describe('convertValue', () => {
  it.each([
    [{ stringValue: '42' }, 'int', 42n],
    [{ stringValue: '+7' }, 'int', 7n],
    [{ stringValue: '-9223372036854775808' }, 'int', -(2n ** 63n)],
    [{ stringValue: '9223372036854775808' }, 'int', undefined],
    [{ stringValue: '4.5' }, 'int', undefined],
    [{ stringValue: ' 4' }, 'int', undefined],
    [{ doubleValue: 3.99 }, 'int', 3n],
    [{ doubleValue: NaN }, 'int', undefined],
    [{ doubleValue: 1e30 }, 'int', undefined],
    [{ boolValue: false }, 'int', 0n],
    [{ intValue: 5n }, 'int', undefined],
    [{ arrayValue: { values: [] } }, 'int', undefined],
    [{ stringValue: '-.5e1' }, 'double', { doubleValue: -5 }],
    [{ stringValue: '1e400' }, 'double', undefined],
    [{ stringValue: 'Inf' }, 'double', { doubleValue: Infinity }],
    [{ stringValue: '-infinity' }, 'double', { doubleValue: -Infinity }],
    [{ stringValue: '0x10' }, 'double', undefined],
    [{ intValue: 3n }, 'double', { doubleValue: 3 }],
    [{ boolValue: true }, 'double', { doubleValue: 1 }],
    [{ doubleValue: 1 }, 'double', undefined],
    [{ stringValue: 'x' }, 'string', undefined],
    [{ intValue: -3n }, 'string', '-3'],
  ] as [AnyValue, ConvertedType, unknown][])('%o to %s is %o', (value, to, expected) => {
    expect(convertValue(value, to)).toEqual(expected);
  });

  it('reads NaN in any case', () => {
    expect((convertValue({ stringValue: 'NaN' }, 'double') as { doubleValue: number }).doubleValue).toBeNaN();
  });
});

describe('asString', () => {
  it('prints as pcommon AsString does', () => {
    expect(asString({ doubleValue: 0.1 })).toBe('0.1');
    expect(asString({ doubleValue: 1e21 })).toBe('1e+21');
    expect(asString({ doubleValue: 1.5e-7 })).toBe('1.5e-7');
    expect(asString({ doubleValue: 100 })).toBe('100');
    expect(asString({ doubleValue: -Infinity })).toBe('json: unsupported value: -Inf');
    expect(asString({ boolValue: true })).toBe('true');
    expect(asString({ bytesValue: Uint8Array.of(1, 2, 3) })).toBe('AQID');
    expect(asString({})).toBe('');
    expect(
      asString({
        kvlistValue: {
          values: [
            { key: 'b', value: { arrayValue: { values: [{ intValue: 1n }, { stringValue: 'x"' }, {}] } } },
            { key: 'a', value: { doubleValue: 2.5 } },
          ],
        },
      }),
    ).toBe('{"a":2.5,"b":[1,"x\\"",null]}');
  });
});

describe('toRegExp', () => {
  it('reads RE2 named groups and leading flags', () => {
    expect(toRegExp('(?P<a>x)').exec('x')?.groups).toEqual({ a: 'x' });
    expect(toRegExp('(?i)^abc$').test('ABC')).toBe(true);
    expect(toRegExp('^abc$').test('ABC')).toBe(false);
  });
});
