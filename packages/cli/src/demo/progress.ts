import type { CliIo } from '../internal/io.js';

export interface ProgressSample {
  t: number;
  sent: number;
  refused: number;
  lag: number;
  delivered: number;
  backend: 'up' | 'down';
}

/** One line per second: what was acknowledged, what waits in Kafka, what arrived. */
export function createProgress(io: CliIo) {
  let header = false;
  return {
    line(s: ProgressSample) {
      if (!header) {
        io.out('   t   acked-by-agent   kafka-lag(records)   delivered   backend');
        header = true;
      }
      io.out(
        `${s.t.toFixed(0).padStart(4)}s ${String(s.sent).padStart(16)} ${String(s.lag).padStart(20)} ${String(s.delivered).padStart(11)}   ${s.backend}`,
      );
    },
  };
}
