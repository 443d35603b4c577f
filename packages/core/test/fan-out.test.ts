import { describe, expect, it } from 'vitest';
import {
  fanOut,
  ok,
  outcomeKind,
  partial,
  permanent,
  refusalOf,
  retryable,
  safeConsume,
  type Consumer,
  type Outcome,
} from '@otlp-kafka/core';
import { trustedBatchForTest } from './helpers.js';

function consumerOf(outcome: Outcome, seen: unknown[] = []): Consumer {
  return {
    consume(batch) {
      seen.push(batch);
      return Promise.resolve(outcome);
    },
  };
}

describe('safeConsume', () => {
  const batch = trustedBatchForTest();

  it('passes the consumer outcome through', async () => {
    const p = partial(1, 'one');
    expect(await safeConsume(consumerOf(p), batch)).toBe(p);
  });

  it('turns a rejected promise into a retryable outcome keeping the cause', async () => {
    const boom = new Error('boom');
    const out = await safeConsume({ consume: () => Promise.reject(boom) }, batch);
    expect(outcomeKind(out)).toBe('retryable');
    expect(refusalOf(out)?.message).toBe('boom');
    expect(refusalOf(out)?.code).toBe('ERR_INTERNAL');
    expect(refusalOf(out)?.cause).toBe(boom);
  });

  it('turns a synchronous throw into a retryable outcome', async () => {
    const consumer: Consumer = {
      consume() {
        throw new TypeError('sync');
      },
    };
    const out = await safeConsume(consumer, batch);
    expect(outcomeKind(out)).toBe('retryable');
  });
});

describe('fanOut', () => {
  const batch = trustedBatchForTest();

  it('returns the only consumer unchanged', () => {
    const c = consumerOf(ok());
    expect(fanOut([c])).toBe(c);
  });

  it('refuses zero consumers instead of acknowledging data nobody took', () => {
    expect(() => fanOut([])).toThrow(/at least one consumer/);
  });

  it('hands the same batch to every consumer and settles with the worst', async () => {
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    const seenC: unknown[] = [];
    const c = fanOut([
      consumerOf(ok(), seenA),
      consumerOf(permanent('bad'), seenB),
      consumerOf(partial(1, 'x'), seenC),
    ]);
    const out = await c.consume(batch);
    expect(outcomeKind(out)).toBe('permanent');
    expect(seenA).toEqual([batch]);
    expect(seenB).toEqual([batch]);
    expect(seenC).toEqual([batch]);
  });

  it('reports the largest partial rejection: every consumer saw the same items', async () => {
    const out = await fanOut([
      consumerOf(partial(3, 'a')),
      consumerOf(partial(5, 'b')),
      consumerOf(ok()),
    ]).consume(batch);
    expect(out.isOk() && out.value).toEqual({ kind: 'partial', rejectedItems: 5, message: 'a; b' });
  });

  it('waits for every consumer before settling', async () => {
    let release!: (o: Outcome) => void;
    const slow: Consumer = { consume: () => new Promise<Outcome>((r) => (release = r)) };
    const c = fanOut([consumerOf(ok()), slow]);
    let settled = false;
    const p = c.consume(batch).then((o) => ((settled = true), o));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    release(retryable('later'));
    expect(outcomeKind(await p)).toBe('retryable');
  });

  it('a throwing consumer makes the fan-out retryable, not rejected', async () => {
    const c = fanOut([consumerOf(ok()), { consume: () => Promise.reject(new Error('x')) }]);
    expect(outcomeKind(await c.consume(batch))).toBe('retryable');
  });
});
