/**
 * Bounds how often one kind of line is logged: a stream of poison records
 * must not turn into a stream of log lines. Per key, at most `linesPerWindow`
 * lines per `windowMs`; the first line of the next window says how many were
 * left out (the metrics count every one).
 */
export interface LogThrottle {
  /** undefined: do not log this one; otherwise log it, with `suppressed` lines left out before it. */
  admit(key: string): { suppressed: number } | undefined;
}

export function createLogThrottle(
  linesPerWindow = 10,
  windowMs = 10_000,
  now: () => number = Date.now,
): LogThrottle {
  const windows = new Map<string, { startMs: number; lines: number; suppressed: number }>();
  return {
    admit(key) {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.startMs >= windowMs) {
        const suppressed = w?.suppressed ?? 0;
        w = { startMs: t, lines: 0, suppressed: 0 };
        windows.set(key, w);
        w.lines++;
        return { suppressed };
      }
      if (w.lines >= linesPerWindow) {
        w.suppressed++;
        return undefined;
      }
      w.lines++;
      return { suppressed: 0 };
    },
  };
}
