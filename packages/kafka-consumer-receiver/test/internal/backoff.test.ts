import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/internal/backoff.js';

const policy = { initialIntervalMs: 100, maxIntervalMs: 1000, multiplier: 2, randomizationFactor: 0 };

describe('Backoff', () => {
  it('grows exponentially up to the maximum and stays there (it never gives up)', () => {
    const b = new Backoff(policy);
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('jitters within the randomization factor', () => {
    const low = new Backoff({ ...policy, randomizationFactor: 0.5 }, () => 0);
    const high = new Backoff({ ...policy, randomizationFactor: 0.5 }, () => 1);
    expect(low.next()).toBe(50);
    expect(high.next()).toBe(150);
    expect(low.next()).toBe(100);
    expect(high.next()).toBe(300);
  });

  it('honours a longer retry-after hint as a floor', () => {
    const b = new Backoff(policy);
    expect(b.next(5000)).toBe(5000);
    expect(b.next(10)).toBe(200);
  });
});
