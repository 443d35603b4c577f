// What a scenario watches while it runs: consumer-group lag, process memory,
// and the collectors' own Prometheus metrics.
import { readFileSync } from 'node:fs';
import { groupLag } from '@otlp-kafka/cli';
import type { Names } from './configs.js';
import { SIGNALS } from './configs.js';

/** Records not yet committed by the scenario's gateway groups, over all partitions. */
export async function totalLag(brokers: string, names: Names): Promise<number> {
  let lag = 0;
  for (const s of SIGNALS) {
    const rows = await groupLag(brokers.split(','), names.groups[s], [names.topics[s]]);
    lag += rows.reduce((sum, r) => sum + r.lag, 0);
  }
  return lag;
}

/** Resident memory of a process in MiB (Linux /proc), undefined once it is gone. */
export function rssMib(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Sums of every series of each metric family on a Prometheus endpoint (counters also without their `_total` suffix). */
export async function scrape(port: number): Promise<Map<string, number>> {
  const text = await (
    await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })
  ).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const v = Number(m[3]);
    if (!Number.isFinite(v)) continue;
    for (const name of m[1]!.endsWith('_total') ? [m[1]!, m[1]!.slice(0, -6)] : [m[1]!])
      out.set(name, (out.get(name) ?? 0) + v);
  }
  return out;
}

/** The largest value among the series of one metric family (e.g. the fullest of several queues). */
export async function scrapeMaxSeries(port: number, name: string): Promise<number | undefined> {
  const text = await (
    await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })
  ).text();
  let max: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name && Number.isFinite(Number(m[3]))) max = Math.max(max ?? 0, Number(m[3]));
  }
  return max;
}

/** Samples `fn` every `everyMs` until stopped; keeps the largest value. */
export function sampleMax(fn: () => Promise<number | undefined> | number | undefined, everyMs = 1000) {
  let max = 0;
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const v = await fn();
        if (v !== undefined) {
          max = Math.max(max, v);
          samples++;
        }
      } catch {
        // A sample that fails (a process restarting, Kafka down) is skipped.
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    get max() {
      return max;
    },
    get samples() {
      return samples;
    },
    async stop() {
      stopped = true;
      await loop;
      return max;
    },
  };
}
