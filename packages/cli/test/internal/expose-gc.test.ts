import { describe, expect, it } from 'vitest';
import { exposeGc } from '../../src/internal/expose-gc.js';

describe('exposeGc', () => {
  it('gives the process a working globalThis.gc, once', () => {
    const gc = exposeGc();
    expect(typeof gc).toBe('function');
    expect((globalThis as { gc?: unknown }).gc).toBe(gc);
    expect(exposeGc()).toBe(gc);
    // A collection really runs: an object only a WeakRef holds is gone after it.
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ big: new Array(1000).fill(0) });
    })();
    gc();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        gc();
        expect(ref!.deref()).toBeUndefined();
        resolve();
      }),
    );
  });
});
