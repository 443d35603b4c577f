import { describe, expect, it } from 'vitest';
import { createLogThrottle } from '../../src/internal/log-throttle.js';

describe('createLogThrottle', () => {
  it('lets a few lines per key and window through, then says how many it left out', () => {
    let now = 0;
    const t = createLogThrottle(3, 1_000, () => now);
    const admitted = Array.from({ length: 10 }, () => t.admit('a'));
    expect(admitted.filter((a) => a !== undefined)).toHaveLength(3);
    expect(t.admit('b')).toEqual({ suppressed: 0 }); // keys are independent
    now = 999;
    expect(t.admit('a')).toBeUndefined();
    now = 1_000;
    expect(t.admit('a')).toEqual({ suppressed: 8 });
    expect(t.admit('a')).toEqual({ suppressed: 0 });
    now = 2_000;
    expect(t.admit('a')).toEqual({ suppressed: 0 });
  });
});
