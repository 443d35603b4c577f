import { PipelineError } from './errors.js';

/**
 * Waits `ms` on an unref'd timer (a wait alone never keeps the process up).
 * Resolves true when the time passed, false as soon as any signal aborted
 * (at once when one already has), so a caller can tell "waited" from "told to stop".
 */
export function sleep(ms: number, ...signals: readonly AbortSignal[]): Promise<boolean> {
  if (signals.some((s) => s.aborted)) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const onAbort = (): void => finish(false);
    const timer = setTimeout(() => finish(true), ms);
    timer.unref();
    function finish(elapsed: boolean): void {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', onAbort);
      resolve(elapsed);
    }
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The promise's result, or a rejection with ERR_TIMEOUT ("`what` took longer
 * than `ms` ms") when it has not settled by then. The promise itself goes on:
 * only the wait is bounded. The timer is unref'd and cleared when the promise wins.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PipelineError('ERR_TIMEOUT', `${what} took longer than ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A point in time that work must finish by; shutdown hands one down so steps share one budget. */
export interface Deadline {
  /** The deadline on the clock it was made with (Date.now() by default). */
  readonly atMs: number;
  /** Milliseconds left, never negative. */
  remainingMs(): number;
  readonly expired: boolean;
}

/** A deadline `ms` from now (Infinity: none). `now` defaults to Date.now, which fake timers control. */
export function deadlineIn(ms: number, now: () => number = Date.now): Deadline {
  const atMs = now() + ms;
  return {
    atMs,
    remainingMs: () => Math.max(0, atMs - now()),
    get expired() {
      return now() >= atMs;
    },
  };
}
