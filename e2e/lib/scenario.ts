// The frame of every scenario: a stack, load, the accounting, the result file,
// and cleanup of every process whatever happens.
import { killSdkClients } from '@otlp-kafka/testkit/sdk-client';
import { afterAll, describe, expect, it } from 'vitest';
import { FAST, SUBSET } from './env.js';
import { diagnoseDuplicates } from './diagnose.js';
import { account, type AccountInput } from './ledger.js';
import { startLoad, type Load, type LoadOptions } from './load.js';
import { recordResult } from './results.js';
import { createStack, type Stack, type StackOptions } from './stack.js';

export interface ScenarioContext {
  stack: Stack;
  /** Starts load that is cancelled at cleanup if the scenario fails. */
  load(o: LoadOptions): Load;
  /** Progress line on stderr, with the scenario's elapsed time. */
  log(message: string): void;
  /** A scenario-specific condition: noted in the result; the scenario fails if any is false. */
  check(label: string, ok: boolean): void;
  /** A measurement for the result's notes. */
  note(text: string): void;
}

export type ScenarioOutcome = Omit<
  AccountInput,
  'id' | 'name' | 'startedAt' | 'backend' | 'notes' | 'checks'
>;

export interface ScenarioDefinition {
  /** Two digits: the scenario's number, its file name's prefix. */
  id: string;
  name: string;
  /** Part of the E2E_SUBSET=fast run. */
  fast: boolean;
  stack?: Omit<StackOptions, 'id'>;
}

export function scenario(
  def: ScenarioDefinition,
  body: (ctx: ScenarioContext) => Promise<ScenarioOutcome>,
): void {
  describe.skipIf(FAST && !def.fast)(`${Number(def.id)}. ${def.name}`, () => {
    let stack: Stack | undefined;
    const loads: Load[] = [];
    afterAll(async () => {
      await Promise.all(loads.map((l) => l.cancel()));
      // SDK client processes (sdk-defaults.ts) end with the scenario, whatever happened.
      await killSdkClients();
      await stack?.cleanup();
    });

    it('delivers everything the agent acknowledged; duplicates only of what was in flight', async () => {
      const startedAt = Date.now();
      const notes: string[] = [];
      const failed: string[] = [];
      const log = (m: string) =>
        console.error(`[e2e ${def.id} +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${m}`);
      try {
        stack = await createStack({ id: def.id, ...def.stack });
        log(`topics ${Object.values(stack.names.topics).join(', ')}; logs in ${stack.dir}`);
        const outcome = await body({
          stack,
          load: (o) => {
            const l = startLoad(o);
            loads.push(l);
            return l;
          },
          log,
          check: (label, ok) => {
            notes.push(`${ok ? '✓' : '✗'} ${label}`);
            if (!ok) failed.push(label);
            log(`${ok ? 'ok' : 'FAILED'}: ${label}`);
          },
          note: (text) => {
            notes.push(text);
            log(text);
          },
        });
        const a = account({
          ...outcome,
          id: def.id,
          name: def.name,
          startedAt,
          backend: stack.backend,
          notes,
          checks: failed.length === 0,
        });
        if (a.unexplainedDuplicates.length > 0) {
          const b = stack.backend;
          const each = a.unexplainedDuplicates
            .slice(0, 5)
            .map((id) => `${id} ×${b.sink.count(id)} (${b.resent.get(id) ?? 0} in gateway retries)`);
          a.result.notes.push(
            `diagnosis: deliveries at the backend (first 5): ${each.join(', ')}`,
            ...(await diagnoseDuplicates(stack.brokers, stack.names, a.unexplainedDuplicates)),
          );
        }
        recordResult(a.result);
        expect(a.lostIds, 'acknowledged items missing at the backend').toEqual([]);
        expect(a.unexplainedDuplicates, 'duplicates of items that were not in flight at a fault').toEqual([]);
        expect(failed, 'scenario checks').toEqual([]);
      } catch (e) {
        if (!(e instanceof Error && e.name === 'AssertionError')) {
          recordResult({
            id: def.id,
            name: def.name,
            subset: SUBSET,
            durationMs: Date.now() - startedAt,
            sent: 0,
            delivered: 0,
            lost: 0,
            duplicated: 0,
            inFlight: 0,
            clientGaveUp: 0,
            passed: false,
            notes: [...notes, `ERROR: ${(e as Error).message}`],
          });
        }
        throw e;
      }
    });
  });
}
