import { describe, expect, it } from 'vitest';
import { createBackoff } from '@otlp-kafka/core';

// The exporter's retry_on_failure defaults (the Collector's).
const collector = {
  initialIntervalMs: 5_000,
  maxIntervalMs: 30_000,
  multiplier: 1.5,
  randomizationFactor: 0.5,
};
const doubling = { initialIntervalMs: 100, maxIntervalMs: 1000, multiplier: 2, randomizationFactor: 0 };

describe('createBackoff (cenkalti semantics)', () => {
  it('grows by the multiplier up to maxIntervalMs without randomization', () => {
    const b = createBackoff({ ...collector, randomizationFactor: 0 });
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([5_000, 7_500, 11_250, 16_875, 25_313, 30_000, 30_000, 30_000]);
  });

  it('grows exponentially up to the maximum and stays there (it never gives up by itself)', () => {
    const b = createBackoff(doubling);
    expect(Array.from({ length: 8 }, () => b.next())).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('draws each delay from interval * [1 - f, 1 + f]', () => {
    const low = createBackoff(collector, { random: () => 0 });
    const high = createBackoff(collector, { random: () => 0.999999 });
    const mid = createBackoff(collector, { random: () => 0.5 });
    expect([low.next(), low.next()]).toEqual([2_500, 3_750]);
    expect([high.next(), high.next()]).toEqual([7_500, 11_250]);
    expect([mid.next(), mid.next()]).toEqual([5_000, 7_500]);
    const l = createBackoff({ ...doubling, randomizationFactor: 0.5 }, { random: () => 0 });
    const h = createBackoff({ ...doubling, randomizationFactor: 0.5 }, { random: () => 1 });
    expect([l.next(), h.next(), l.next(), h.next()]).toEqual([50, 150, 100, 300]);
  });

  it('randomizes around maxIntervalMs once capped', () => {
    const low = createBackoff({ ...collector, initialIntervalMs: 30_000 }, { random: () => 0 });
    expect([low.next(), low.next()]).toEqual([15_000, 15_000]);
    const high = createBackoff({ ...collector, initialIntervalMs: 30_000 }, { random: () => 1 });
    expect(high.next()).toBe(45_000);
  });

  it('honours a longer retry-after hint as a floor while the interval keeps growing', () => {
    const b = createBackoff(doubling);
    expect(b.next(5000)).toBe(5000);
    expect(b.next(10)).toBe(200);
  });

  it('fits() says when a wait would end past maxElapsedMs; reset() starts over', () => {
    let t = 0;
    const b = createBackoff({ ...doubling, maxElapsedMs: 1000 }, { now: () => t });
    expect(b.fits(1000)).toBe(true);
    expect(b.fits(1001)).toBe(false);
    t = 600;
    expect(b.elapsedMs).toBe(600);
    expect(b.fits(400)).toBe(true);
    expect(b.fits(401)).toBe(false);
    b.next();
    b.next();
    b.reset();
    expect(b.elapsedMs).toBe(0);
    expect(b.next()).toBe(100);
    expect(createBackoff(doubling, { now: () => t }).fits(Number.MAX_SAFE_INTEGER)).toBe(true);
  });
});
