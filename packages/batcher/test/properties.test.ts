import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ok, outcomeKind, retryable, type Batch, type Outcome } from '@otlp-kafka/core';
import { createCountingSink, itemIds } from '@otlp-kafka/testkit';
import { createBatcher } from '@otlp-kafka/batcher';
import { callerBatch, scriptedConsumer } from './helpers.js';

const settings = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
  sendBatchSize: fc.integer({ min: 0, max: 60 }),
  extraMax: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  maxBytes: fc.option(fc.integer({ min: 600, max: 6000 }), { nil: undefined }),
  signal: fc.constantFrom('traces' as const, 'metrics' as const, 'logs' as const),
  attributeBytes: fc.integer({ min: 0, max: 120 }),
});

type Settings = typeof settings extends fc.Arbitrary<infer T> ? T : never;

// Found by these properties: splitting a Sum metric at a byte cap once produced undecodable pieces.
const REGRESSIONS: Settings[] = [
  {
    sizes: [11, 1],
    sendBatchSize: 0,
    extraMax: undefined,
    maxBytes: 600,
    signal: 'metrics',
    attributeBytes: 0,
  },
];

function build(s: Settings) {
  const sendBatchSize = s.sendBatchSize;
  const sendBatchMaxSize = s.extraMax === undefined ? 0 : Math.max(1, sendBatchSize + s.extraMax);
  const callers = s.sizes.map((n, i) => callerBatch(`c${i}-`, n, s.signal, s.attributeBytes));
  return {
    options: { sendBatchSize, sendBatchMaxSize, sendBatchMaxBytes: s.maxBytes ?? 0, timeoutMs: 60_000 },
    callers,
  };
}

describe('batcher properties', () => {
  it('random callers: every item is delivered exactly once, every caller ok, every batch within the caps', async () => {
    await fc.assert(
      fc.asyncProperty(settings, async (s) => {
        const { options, callers } = build(s);
        const sink = createCountingSink();
        await sink.start();
        const p = createBatcher(options)(sink);
        await p.start();
        const results = callers.map((c) => p.consume(c.batch));
        await p.shutdown();
        const outcomes = await Promise.all(results);
        expect(outcomes.map(outcomeKind)).toEqual(callers.map(() => 'ok'));
        const report = sink.report(callers.flatMap((c) => c.ids));
        expect(report).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0, unidentified: 0 });
        for (const call of sink.calls) {
          if (options.sendBatchMaxSize > 0)
            expect(call.batch.itemCount).toBeLessThanOrEqual(options.sendBatchMaxSize);
          if (options.sendBatchMaxBytes > 0)
            expect(call.batch.bytes.length).toBeLessThanOrEqual(options.sendBatchMaxBytes);
        }
      }),
      { numRuns: 50, examples: REGRESSIONS.map((r) => [r] as [Settings]) },
    );
  });

  it('a failed outgoing batch fails exactly the callers whose items were in it', async () => {
    await fc.assert(
      fc.asyncProperty(settings, fc.nat(), async (s, pick) => {
        const { options, callers } = build(s);
        let failedIndex = -1;
        let failedIds = new Set<string>();
        const next = scriptedConsumer((i: number, batch: Batch): Outcome => {
          if (i !== failedIndex) return ok();
          failedIds = new Set(itemIds(batch).unwrap());
          return retryable('this batch fails');
        });
        // A dry run finds how many outgoing batches there are, so the failure hits one of them.
        const dry = scriptedConsumer(() => ok());
        const dp = createBatcher(options)(dry);
        await dp.start();
        const dryResults = callers.map((c) => dp.consume(c.batch));
        await dp.shutdown();
        await Promise.all(dryResults);
        failedIndex = pick % dry.batches.length;

        const p = createBatcher(options)(next);
        await p.start();
        const results = callers.map((c) => p.consume(c.batch));
        await p.shutdown();
        const outcomes = await Promise.all(results);
        expect(next.batches).toHaveLength(dry.batches.length);
        expect(failedIds.size).toBeGreaterThan(0);
        callers.forEach((c, i) => {
          const hit = c.ids.some((id) => failedIds.has(id));
          expect(outcomeKind(outcomes[i]!)).toBe(hit ? 'retryable' : 'ok');
        });
      }),
      { numRuns: 50, examples: REGRESSIONS.map((r) => [r, 1] as [Settings, number]) },
    );
  });
});
