// One measured run and the tables printed from them.
import { renderTable } from '../agent/report.js';

export interface Measured {
  readonly subject: string;
  readonly round: number;
  /** Spans moved in the measured interval (acknowledged to the client, or counted at the sink). */
  readonly spans: number;
  readonly wallMs: number;
  /** user + system CPU of the subject's process over the interval (/proc/<pid>/stat). */
  readonly cpuUs: number;
  /** Records in Kafka (agent direction: all of the topic, warm-up included). */
  readonly records: number;
  readonly bytes: number;
  /** What the check against Kafka or the sink found. */
  readonly verified: string;
  readonly rssBytes: number;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rate = (m: Measured): number => m.spans / (m.wallMs / 1000);
const cpuPerMillion = (m: Measured): number => m.cpuUs / 1e6 / (m.spans / 1e6);

export function printRuns(title: string, runs: readonly Measured[]): void {
  const header = [
    'run',
    'spans',
    'wall s',
    'spans/s',
    'CPU s',
    'CPU-s / 1M spans',
    'CPU % of 1 core',
    'RSS MB',
    'Kafka records',
    'avg record KB',
    'check',
  ];
  const lines = runs.map((m) => [
    `${m.subject} #${m.round}`,
    fmt(m.spans),
    fmt(m.wallMs / 1000, 2),
    fmt(rate(m)),
    fmt(m.cpuUs / 1e6, 2),
    fmt(cpuPerMillion(m), 2),
    fmt((m.cpuUs / 1000 / m.wallMs) * 100, 0),
    fmt(m.rssBytes / 1e6, 0),
    fmt(m.records),
    m.records ? fmt(m.bytes / m.records / 1000, 0) : '-',
    m.verified,
  ]);
  console.log(`\n${title}\n\n${renderTable(header, lines)}`);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
};

/** Medians per subject, and each subject's ratio to `reference` (ours). */
export function printSummary(title: string, runs: readonly Measured[], reference: string): void {
  const subjects = [...new Set(runs.map((r) => r.subject))];
  const med = new Map(
    subjects.map((s) => {
      const mine = runs.filter((r) => r.subject === s);
      return [
        s,
        { rate: median(mine.map(rate)), cpu: median(mine.map(cpuPerMillion)), n: mine.length },
      ] as const;
    }),
  );
  const ref = med.get(reference);
  const header = [
    'median',
    'rounds',
    'spans/s',
    'CPU-s / 1M spans',
    'spans per CPU-s',
    `spans/s vs ${reference}`,
    `CPU per span vs ${reference}`,
  ];
  const lines = subjects.map((s) => {
    const m = med.get(s)!;
    return [
      s,
      String(m.n),
      fmt(m.rate),
      fmt(m.cpu, 2),
      fmt(1e6 / m.cpu),
      ref ? fmt(m.rate / ref.rate, 2) + 'x' : '-',
      ref ? fmt(m.cpu / ref.cpu, 2) + 'x' : '-',
    ];
  });
  console.log(`\n${title}\n\n${renderTable(header, lines)}`);
}
