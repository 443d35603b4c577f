import { describe, expect, it } from 'vitest';
import { ExponentialBackoff, parseRetryAfter } from '../../src/internal/backoff.js';

const settings = {
  initialIntervalMs: 5_000,
  maxIntervalMs: 30_000,
  multiplier: 1.5,
  randomizationFactor: 0.5,
};

describe('ExponentialBackoff', () => {
  it('grows by the multiplier up to maxIntervalMs without randomization', () => {
    const b = new ExponentialBackoff({ ...settings, randomizationFactor: 0 });
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([5_000, 7_500, 11_250, 16_875, 25_313, 30_000, 30_000, 30_000]);
  });

  it('draws each delay from interval * [1 - f, 1 + f]', () => {
    const low = new ExponentialBackoff(settings, () => 0);
    const high = new ExponentialBackoff(settings, () => 0.999999);
    const mid = new ExponentialBackoff(settings, () => 0.5);
    expect([low.next(), low.next()]).toEqual([2_500, 3_750]);
    expect([high.next(), high.next()]).toEqual([7_500, 11_250]);
    expect([mid.next(), mid.next()]).toEqual([5_000, 7_500]);
  });

  it('randomizes around maxIntervalMs once capped', () => {
    const b = new ExponentialBackoff({ ...settings, initialIntervalMs: 30_000 }, () => 0);
    expect([b.next(), b.next()]).toEqual([15_000, 15_000]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3_000);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:12 GMT', now)).toBe(12_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unparsable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
