// Per-scenario results: each scenario file writes results/parts/<id>.json; the
// global teardown merges them into results/latest.json and a Markdown table.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
export const PARTS_DIR = join(RESULTS_DIR, 'parts');

export interface ScenarioResult {
  /** Two digits: the scenario's number, its file name's prefix. */
  id: string;
  name: string;
  subset: 'full' | 'fast';
  durationMs: number;
  /** Items (spans, data points, log records) the agent acknowledged to the client. */
  sent: number;
  /** Of those, items that reached the backend at least once. */
  delivered: number;
  /** Acknowledged items that never reached the backend (nor a dead-letter topic). */
  lost: number;
  /** Distinct items the backend received more than once. */
  duplicated: number;
  /**
   * The duplicate bound: items in flight at a fault or re-sent by a client, and
   * items a gateway exporter re-sent after an attempt without an answer.
   */
  inFlight: number;
  /** Of those, items in requests a gateway exporter retried (the backend's `resent`). */
  resent?: number;
  /** Items of requests the client gave up on (never acknowledged: not owed). */
  clientGaveUp: number;
  /** Items whose records went to the dead-letter topic instead of the backend. */
  deadLettered?: number;
  passed: boolean;
  /** What else was measured (lag, memory, answers, timings). */
  notes: string[];
}

export function recordResult(r: ScenarioResult): void {
  mkdirSync(PARTS_DIR, { recursive: true });
  writeFileSync(join(PARTS_DIR, `${r.id}.json`), JSON.stringify(r, null, 2) + '\n');
  console.error(
    `[e2e] ${r.id} ${r.name}: ${r.passed ? 'PASS' : 'FAIL'} sent=${r.sent} delivered=${r.delivered} lost=${r.lost} duplicated=${r.duplicated} (bound ${r.inFlight}${r.resent ? `, ${r.resent} re-sent by gateway retries` : ''}) ${Math.round(r.durationMs / 1000)} s\n  ${r.notes.join('\n  ')}`,
  );
}

export function readResults(): ScenarioResult[] {
  if (!existsSync(PARTS_DIR)) return [];
  return readdirSync(PARTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(PARTS_DIR, f), 'utf8')) as ScenarioResult);
}

export function markdownTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) =>
    [
      `${Number(r.id)}. ${r.name}`,
      String(r.sent),
      String(r.delivered),
      String(r.lost),
      String(r.duplicated),
      String(r.inFlight),
      String(r.clientGaveUp),
      r.deadLettered === undefined ? '–' : String(r.deadLettered),
      `${Math.round(r.durationMs / 1000)} s`,
      r.passed ? 'pass' : 'FAIL',
    ].join(' | '),
  );
  return [
    '| scenario | sent (acked) | delivered | lost | duplicated | in flight (dup. bound) | client gave up | dead-lettered | duration | result |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/** Merges the parts into latest.json and latest.md; returns the table ('' when nothing ran). */
export function writeSummary(): string {
  const results = readResults();
  if (results.length === 0) return '';
  const total = results.reduce((s, r) => s + r.durationMs, 0);
  writeFileSync(
    join(RESULTS_DIR, 'latest.json'),
    JSON.stringify({ finishedAt: new Date().toISOString(), scenarioMs: total, results }, null, 2) + '\n',
  );
  const table = markdownTable(results);
  const notes = results.map((r) => `- **${Number(r.id)}. ${r.name}**: ${r.notes.join('; ')}`).join('\n');
  writeFileSync(join(RESULTS_DIR, 'latest.md'), `${table}\n\n${notes}\n`);
  return table;
}
