/** Waits `ms` (unref'd timer). Resolves true when the time passed, false when any signal aborted first. */
export function sleep(ms: number, ...signals: AbortSignal[]): Promise<boolean> {
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
