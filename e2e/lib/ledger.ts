// The accounting of a scenario: every item the agent acknowledged is looked up by
// id at the backend (or in the dead-letter topic); every duplicate must be an item
// that was in flight at a fault, or one whose every extra delivery was a gateway
// exporter's retry of a request it had no answer for (the backend counts those).
import type { OtlpBackend } from '@otlp-kafka/testkit';
import { sleep } from './env.js';
import type { ScenarioResult } from './results.js';
import { SUBSET } from './env.js';

/** Waits until every id reached the backend; resolves with the ids still missing at the timeout. */
export async function drain(
  backend: OtlpBackend,
  ids: Iterable<string>,
  timeoutMs: number,
): Promise<string[]> {
  const pending = new Set(ids);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const id of pending) if (backend.sink.count(id) > 0) pending.delete(id);
    if (pending.size === 0 || Date.now() >= deadline) return [...pending];
    await sleep(1000);
  }
}

export interface Accounting {
  result: ScenarioResult;
  lostIds: string[];
  /** Duplicates that were not in flight at any fault: must be none. */
  unexplainedDuplicates: string[];
}

export interface AccountInput {
  id: string;
  name: string;
  startedAt: number;
  backend: OtlpBackend;
  /** Items the agent acknowledged. */
  acked: ReadonlySet<string>;
  /**
   * Items that may legitimately arrive twice (in flight at a fault, or re-sent by the client).
   * The backend's `resent` (gateway exporter retries) is added by account() itself.
   */
  inFlight: ReadonlySet<string>;
  clientGaveUp: number;
  /** Items found in the dead-letter topic: accounted for, not lost. */
  deadLettered?: ReadonlySet<string>;
  notes: string[];
  /** Extra conditions of the scenario (all must hold for `passed`). */
  checks?: boolean;
}

export function account(a: AccountInput): Accounting {
  let delivered = 0;
  const lostIds: string[] = [];
  for (const id of a.acked) {
    if (a.backend.sink.count(id) > 0) delivered++;
    else if (!a.deadLettered?.has(id)) lostIds.push(id);
  }
  const duplicatedIds = a.backend.report().duplicatedIds;
  // At-least-once without a fault: an export attempt that got no answer in time (the backend
  // may have accepted it) is sent again, marked as a retry. Exact, per item: every delivery
  // beyond the first must be such a retry.
  const resent = a.backend.resent;
  const byRetry = (id: string) => a.backend.sink.count(id) - 1 <= (resent.get(id) ?? 0);
  const retriedDuplicates = duplicatedIds.filter((id) => !a.inFlight.has(id) && byRetry(id));
  const unexplainedDuplicates = duplicatedIds.filter((id) => !a.inFlight.has(id) && !byRetry(id));
  const bound = union(a.inFlight, resent.keys());
  const result: ScenarioResult = {
    id: a.id,
    name: a.name,
    subset: SUBSET,
    durationMs: Date.now() - a.startedAt,
    sent: a.acked.size,
    delivered,
    lost: lostIds.length,
    duplicated: duplicatedIds.length,
    inFlight: bound.size,
    resent: resent.size,
    clientGaveUp: a.clientGaveUp,
    ...(a.deadLettered ? { deadLettered: a.deadLettered.size } : {}),
    passed: lostIds.length === 0 && unexplainedDuplicates.length === 0 && (a.checks ?? true),
    notes: [
      ...a.notes,
      ...(resent.size
        ? [
            `gateway export retries: ${resent.size} items re-sent after an attempt without an answer; ${duplicatedIds.filter((id) => resent.has(id)).length} of them arrived more than once, ${retriedDuplicates.length} duplicates explained only by such retries`,
          ]
        : []),
      ...(lostIds.length ? [`LOST ids (first 10): ${lostIds.slice(0, 10).join(' ')}`] : []),
      ...(unexplainedDuplicates.length
        ? [`duplicates not in flight at a fault (first 10): ${unexplainedDuplicates.slice(0, 10).join(' ')}`]
        : []),
    ],
  };
  return { result, lostIds, unexplainedDuplicates };
}

/** Answers counted, e.g. "200×812 503×40 refused×12". */
export function formatAnswers(answers: Readonly<Record<string, number>>): string {
  return Object.entries(answers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
}

export function union(...sets: Iterable<string>[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const id of s) out.add(id);
  return out;
}
