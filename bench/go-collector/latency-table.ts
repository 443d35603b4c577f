// One run of the latency mode per subject and rate, and the table printed from them.
import { renderTable } from '../agent/report.js';
import type { SerialResult } from './serial-client.js';
import type { TopicCount } from './topic-read.js';

export interface LatencyRow {
  readonly subject: string;
  /** Offered spans/s (all clients) and the number of serial clients. */
  readonly rate: number;
  readonly clients: number;
  /** The measured run, as the clients saw it. */
  readonly result: SerialResult;
  /** Wall time and the subject's CPU (/proc) from the window's start until Kafka had every acknowledged span. */
  readonly wallMs: number;
  readonly cpuUs: number;
  readonly rssBytes: number;
  /** High watermarks when the window opened. */
  readonly from: readonly number[];
  readonly topic: TopicCount;
  /** Spans in the whole topic against spans acknowledged (warm-up included). */
  readonly check: string;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Rates are over the run's length (the time spans were offered); answers after it show as latency. */
const seconds = (r: LatencyRow): number => r.result.durationMs / 1000;

export function describeLatency(r: LatencyRow): string {
  const x = r.result;
  return (
    `${r.subject} at ${fmt(r.rate)}/s (${r.clients} clients): offered ${fmt(x.offered)}, dropped in SDK ${fmt(x.droppedInSdk)}, ` +
    `left ${fmt(x.leftInQueue)}, sent ${fmt(x.sentSpans)}, acked ${fmt(x.okSpans)} in ${x.okRequests} requests, failed ${JSON.stringify(x.failed)}, ` +
    `latency p50/p99/max ${fmt(x.latencyMs.p50)}/${fmt(x.latencyMs.p99)}/${fmt(x.latencyMs.max)} ms, last answer ${fmt(x.elapsedMs / 1000, 1)} s after the start, window ${fmt(r.topic.window.records)} records ` +
    `${fmt(r.topic.window.spans)} spans, CPU ${fmt(r.cpuUs / 1e6, 2)} s, ${r.check}`
  );
}

export function printLatency(title: string, rows: readonly LatencyRow[]): void {
  const header = [
    'subject',
    'offered spans/s',
    'clients',
    'acked spans/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'dropped in SDK',
    'Kafka records/s',
    'spans/record',
    'mean record KB',
    'CPU-s / 1M spans',
    'CPU % of 1 core',
    'sent',
    'acked',
    'check',
  ];
  const lines = rows.map((r) => {
    const x = r.result;
    const w = r.topic.window;
    return [
      r.subject,
      fmt(r.rate),
      String(r.clients),
      fmt(x.okSpans / seconds(r)),
      fmt(x.latencyMs.p50),
      fmt(x.latencyMs.p99),
      fmt(x.latencyMs.max),
      x.offered ? `${fmt((x.droppedInSdk / x.offered) * 100, 1)} %` : '-',
      fmt(w.records / seconds(r), 1),
      w.records ? fmt(w.spans / w.records) : '-',
      w.records ? fmt(w.bytes / w.records / 1000, 1) : '-',
      x.okSpans ? fmt(r.cpuUs / 1e6 / (x.okSpans / 1e6), 2) : '-',
      fmt((r.cpuUs / 1000 / r.wallMs) * 100, 0),
      fmt(x.sentSpans),
      fmt(x.okSpans),
      r.check,
    ];
  });
  console.log(`\n${title}\n\n${renderTable(header, lines)}`);
}
