/**
 * Tracks promises still running so shutdown can wait for them, bounded by a
 * timeout. Used by every component that acknowledges asynchronously.
 */
export interface InFlight {
  readonly size: number;
  track<T>(promise: Promise<T>): Promise<T>;
  /** Resolves true when all tracked work settled, false if the timeout came first. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  return {
    get size() {
      return pending.size;
    },
    track<T>(promise: Promise<T>): Promise<T> {
      const p = promise.finally(() => pending.delete(p));
      pending.add(p);
      return p;
    },
    async drain(timeoutMs: number): Promise<boolean> {
      if (pending.size === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
      });
      const all = (async () => {
        while (pending.size > 0) await Promise.allSettled([...pending]);
        return true as const;
      })();
      try {
        return await Promise.race([all, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
