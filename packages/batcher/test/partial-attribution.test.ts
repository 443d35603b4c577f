import { describe, expect, it } from 'vitest';
import {
  PipelineError,
  ok,
  outcomeKind,
  partial,
  permanent,
  rejectedItemsOf,
  type Batch,
  type Consumer,
  type Outcome,
} from '@otlp-kafka/core';
import { splitBatch } from '@otlp-kafka/pdata';
import { createBatcher } from '@otlp-kafka/batcher';
import { callerBatch, ids, tick } from './helpers.js';

/**
 * A downstream that refuses every item larger than `limit` bytes and accepts
 * the rest, as the Kafka exporter does with items larger than
 * max_message_bytes: partial when some fit, permanent when none does.
 * Optionally held (`hold`) so that arrivals gather behind a send in flight.
 */
function tooLargeDownstream(limit: number): Consumer & {
  delivered: Map<string, number>;
  calls: number[];
  hold(): void;
  release(): void;
} {
  const delivered = new Map<string, number>();
  const calls: number[] = [];
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  return {
    delivered,
    calls,
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      open?.();
      gate = undefined;
    },
    async consume(batch: Batch): Promise<Outcome> {
      calls.push(batch.itemCount);
      if (gate) await gate;
      let refused = 0;
      for (const single of splitBatch(batch, { maxItems: 1 }).unwrap()) {
        if (single.bytes.length > limit) refused += single.itemCount;
        else for (const id of ids(single)) delivered.set(id, (delivered.get(id) ?? 0) + 1);
      }
      if (refused === 0) return ok();
      const why = `${refused} items too large`;
      if (refused === batch.itemCount) return permanent(new PipelineError('ERR_INVALID_DATA', why));
      return partial(refused, why);
    },
  };
}

describe('batcher: a partial answer to a merged batch', () => {
  it('a one-item request too large for the downstream is refused for good whether it went alone or merged; its neighbours get ok', async () => {
    const huge = callerBatch('huge-', 1, 'logs', 50_000);
    // Alone: the downstream refuses it whole.
    const alone = tooLargeDownstream(2000);
    const pAlone = createBatcher({ timeoutMs: 1000 })(alone);
    await pAlone.start();
    const aloneOutcome = await pAlone.consume(huge.batch);
    expect(alone.calls).toEqual([1]);
    await pAlone.shutdown();

    // Merged with others (a send in flight, arrivals gather): the downstream answers partial(1).
    const down = tooLargeDownstream(2000);
    const p = createBatcher({ timeoutMs: 1000 })(down);
    await p.start();
    down.hold();
    const first = callerBatch('first-', 3);
    const one = callerBatch('one-', 1);
    const five = callerBatch('five-', 5);
    const results = [first, one, huge, five].map((c) => p.consume(c.batch));
    await tick();
    down.release();
    const outcomes = await Promise.all(results);
    expect(down.calls[0]).toBe(10);
    expect(outcomes.map(outcomeKind)).toEqual(['ok', 'ok', 'permanent', 'ok']);
    expect(outcomeKind(aloneOutcome)).toBe(outcomeKind(outcomes[2]!));
    for (const id of [...first.ids, ...one.ids, ...five.ids]) expect(down.delivered.get(id)).toBe(1);
    expect(huge.ids.some((id) => down.delivered.has(id))).toBe(false);
    // Only the huge request was sent again (densest first), so no valid item arrived twice.
    expect(down.calls).toEqual([10, 1]);
    await p.shutdown();
  });

  it('a request with some items too large gets partial with its own count; the others ok', async () => {
    const down = tooLargeDownstream(2000);
    const p = createBatcher({ timeoutMs: 1000 })(down);
    await p.start();
    down.hold();
    const rFirst = p.consume(callerBatch('first-', 1).batch);
    await tick();
    const valid = callerBatch('valid-', 4);
    const big = callerBatch('big-', 1, 'logs', 50_000);
    const mixed = callerBatch('mixed-', 3);
    const rValid = p.consume(valid.batch);
    const rBig = p.consume(big.batch);
    const rMixed = p.consume(mixed.batch);
    const rBig2 = p.consume(callerBatch('big2-', 2, 'logs', 50_000).batch);
    await tick();
    down.release();
    expect(outcomeKind(await rFirst)).toBe('ok');
    const [v, b, m, b2] = await Promise.all([rValid, rBig, rMixed, rBig2]);
    expect(outcomeKind(v)).toBe('ok');
    expect(outcomeKind(b)).toBe('permanent');
    expect(outcomeKind(m)).toBe('ok');
    expect(outcomeKind(b2)).toBe('permanent');
    expect(rejectedItemsOf(v)).toBe(0);
    for (const id of valid.ids) expect(down.delivered.get(id)).toBe(1);
    await p.shutdown();
  });

  it('one caller whose partial refuses all its items gets permanent; a caller with more items keeps partial', async () => {
    const answers: Outcome[] = [partial(2, 'two refused'), partial(2, 'two refused')];
    const down: Consumer = { consume: () => Promise.resolve(answers.shift() ?? ok()) };
    const p = createBatcher({ timeoutMs: 0 })(down);
    await p.start();
    const all = await p.consume(callerBatch('a-', 2).batch);
    expect(outcomeKind(all)).toBe('permanent');
    const some = await p.consume(callerBatch('b-', 3).batch);
    expect(outcomeKind(some)).toBe('partial');
    expect(rejectedItemsOf(some)).toBe(2);
    await p.shutdown();
  });
});
