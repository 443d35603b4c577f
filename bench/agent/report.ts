// Measuring one phase (wall time and this process's CPU, all threads) and printing the table.
import { cpus, loadavg } from 'node:os';

/** What one phase did and cost. */
export interface Row {
  readonly name: string;
  readonly spans: number;
  readonly messages: number;
  readonly bytes: number;
  readonly wallMs: number;
  /** user + system CPU of this process over the phase, in microseconds (includes librdkafka's threads). */
  readonly cpuUs: number;
}

export interface Stopwatch {
  /** Wall ms and CPU µs since the stopwatch started. */
  read(): { wallMs: number; cpuUs: number };
}

/** process.cpuUsage() is getrusage(RUSAGE_SELF): every thread of this process, native ones too. */
export function stopwatch(): Stopwatch {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return {
    read() {
      const c = process.cpuUsage(c0);
      return { wallMs: performance.now() - t0, cpuUs: c.user + c.system };
    },
  };
}

export const spansPerSec = (r: Row): number => r.spans / (r.wallMs / 1000);
/** CPU seconds spent per million spans. */
export const cpuSecPerMillion = (r: Row): number => r.cpuUs / 1e6 / (r.spans / 1e6);

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Renders a markdown-style table with right-aligned numbers. */
export function renderTable(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: readonly string[]): string =>
    '| ' +
    widths.map((w, i) => (i === 0 ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w))).join(' | ') +
    ' |';
  const rule =
    '|' + widths.map((w, i) => (i === 0 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [row(header), rule, ...lines.map(row)].join('\n');
}

/** Every measured phase, one line each. */
export function printRows(title: string, rows: readonly Row[]): void {
  const header = [
    'run',
    'spans',
    'messages',
    'MB',
    'wall s',
    'spans/s',
    'CPU s',
    'CPU-s / 1M spans',
    'CPU % of 1 core',
  ];
  const lines = rows.map((r) => [
    r.name,
    fmt(r.spans),
    fmt(r.messages),
    fmt(r.bytes / 1e6, 1),
    fmt(r.wallMs / 1000, 2),
    fmt(spansPerSec(r)),
    fmt(r.cpuUs / 1e6, 2),
    fmt(cpuSecPerMillion(r), 2),
    fmt((r.cpuUs / 1000 / r.wallMs) * 100, 0),
  ]);
  console.log(`\n${title}\n\n${renderTable(header, lines)}`);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Medians over the rounds of the subject and the baseline, and their ratio. */
export function printSummary(title: string, subject: readonly Row[], baseline: readonly Row[]): void {
  const name = (rows: readonly Row[]): string => rows[0]?.name.replace(/ #\d+$/, '') ?? '';
  const s = { rate: median(subject.map(spansPerSec)), cpu: median(subject.map(cpuSecPerMillion)) };
  const b = { rate: median(baseline.map(spansPerSec)), cpu: median(baseline.map(cpuSecPerMillion)) };
  const header = ['median of ' + subject.length + ' rounds', 'spans/s', 'CPU-s / 1M spans'];
  const lines = [
    [name(subject), fmt(s.rate), fmt(s.cpu, 2)],
    [name(baseline), fmt(b.rate), fmt(b.cpu, 2)],
    [
      `ratio ${name(subject)} / ${name(baseline)}`,
      fmt(s.rate / b.rate, 2) + 'x',
      fmt(s.cpu / b.cpu, 2) + 'x',
    ],
  ];
  console.log(`\n${title}\n\n${renderTable(header, lines)}`);
}

/** One line about the machine, since numbers on a shared box mean little without it. */
export function machineNote(): string {
  const c = cpus();
  const [l1, l5] = loadavg();
  return `node ${process.version}, ${c.length} CPU (${c[0]?.model.trim() ?? '?'}), load average ${l1!.toFixed(1)} / ${l5!.toFixed(1)} (1 / 5 min)`;
}
