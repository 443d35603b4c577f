import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ok,
  outcomeKind,
  permanent,
  rejectedItemsOf,
  retryable,
  type Batch,
  type Consumer,
  type Outcome,
} from '@otlp-kafka/core';
import { mergeBatches } from '@otlp-kafka/pdata';
import { createLoadGenerator } from '@otlp-kafka/testkit';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';
import { createBatcher } from '@otlp-kafka/batcher';
import { callerBatch, ids } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

/**
 * A backend that refuses for good any request holding a poison item (ids
 * starting `poison`), as an OTLP backend answers INVALID_ARGUMENT to a request
 * with one AnyValue nested too deep, and counts every id it accepted.
 */
function refusingBackend(): Consumer & { delivered: Map<string, number>; calls: Batch[] } {
  const delivered = new Map<string, number>();
  const calls: Batch[] = [];
  return {
    delivered,
    calls,
    consume(batch) {
      calls.push(batch);
      const got = ids(batch);
      if (got.some((id) => id.startsWith('poison')))
        return Promise.resolve(permanent('INVALID_ARGUMENT: AnyValue nested too deep'));
      for (const id of got) delivered.set(id, (delivered.get(id) ?? 0) + 1);
      return Promise.resolve(ok());
    },
  };
}

/** One request with several resources: `good` items over 3 resources, then `poison` poison items. */
function mixedRequest(prefix: string, good: number, poison: number): { batch: Batch; goodIds: string[] } {
  const g = createLoadGenerator({
    itemsPerRequest: good,
    idPrefix: prefix,
    resources: 3,
    resourcesPerRequest: 3,
    attributeBytes: 8,
  });
  const valid = g.generate('logs');
  const parts = [valid.batch];
  if (poison > 0) parts.push(callerBatch(`poison-${prefix}`, poison, 'logs').batch);
  return { batch: mergeBatches(parts).unwrap(), goodIds: [...valid.ids] };
}

async function settle<T>(promises: Promise<T>[]): Promise<T[]> {
  await vi.advanceTimersByTimeAsync(10);
  return Promise.all(promises);
}

describe('batcher: isolating permanent refusals', () => {
  it('one poison request among 12 sources: the 11 valid ones are delivered and ok, the poison one permanent', async () => {
    vi.useFakeTimers();
    const backend = refusingBackend();
    const meter = createTestMeter();
    const p = createBatcher({ lingerMs: 5, timeoutMs: 1000, meterProvider: meter.meterProvider })(backend);
    await p.start();
    const sources = Array.from({ length: 12 }, (_, i) =>
      callerBatch(i === 7 ? 'poison-7-' : `s${i}-`, 4, 'logs'),
    );
    const outcomes = await settle(sources.map((s) => p.consume(s.batch)));
    // The first send was the merged batch of all 12.
    expect(backend.calls[0]!.itemCount).toBe(48);
    expect(outcomes.map(outcomeKind)).toEqual(sources.map((_, i) => (i === 7 ? 'permanent' : 'ok')));
    const valid = sources.filter((_, i) => i !== 7).flatMap((s) => s.ids);
    expect([...backend.delivered.keys()].sort()).toEqual([...valid].sort());
    expect([...backend.delivered.values()].every((n) => n === 1)).toBe(true);
    // 12 part resends; the poison part (4 items, all poison) bisects: 2 halves, then 2 x 2 quarters.
    const m = await meter.read();
    expect(m.get('otelcol_processor_batch_isolation_resends')?.map((x) => x.value)).toEqual([12 + 2 + 4]);
    await p.shutdown();
  });

  it('poison inside a source with several resources: bisected, partial with the exact rejected count', async () => {
    vi.useFakeTimers();
    const backend = refusingBackend();
    const p = createBatcher({ lingerMs: 5, timeoutMs: 1000 })(backend);
    await p.start();
    const mixed = mixedRequest('m-', 9, 2);
    const other = callerBatch('o-', 5, 'logs');
    const [mixedOutcome, otherOutcome] = await settle([p.consume(mixed.batch), p.consume(other.batch)]);
    expect(outcomeKind(otherOutcome!)).toBe('ok');
    expect(outcomeKind(mixedOutcome!)).toBe('partial');
    expect(rejectedItemsOf(mixedOutcome!)).toBe(2);
    const valid = [...mixed.goodIds, ...other.ids];
    expect([...backend.delivered.keys()].sort()).toEqual([...valid].sort());
    expect([...backend.delivered.values()].every((n) => n === 1)).toBe(true);
    // Bisection stays within log2(items) levels: at most 2 sends per level per poison item, plus the 2 part sends.
    expect(backend.calls.length - 1).toBeLessThanOrEqual(2 + 2 * 2 * Math.ceil(Math.log2(11)));
    await p.shutdown();
  });

  it('a lone source with several resources is bisected without resending it whole first', async () => {
    vi.useFakeTimers();
    const backend = refusingBackend();
    const p = createBatcher({ lingerMs: 5, timeoutMs: 1000 })(backend);
    await p.start();
    const mixed = mixedRequest('l-', 7, 1);
    const [outcome] = await settle([p.consume(mixed.batch)]);
    expect(outcomeKind(outcome!)).toBe('partial');
    expect(rejectedItemsOf(outcome!)).toBe(1);
    expect(backend.calls[1]!.itemCount).toBe(4); // the first half, not the whole 8 again
    expect([...backend.delivered.keys()].sort()).toEqual([...mixed.goodIds].sort());
    await p.shutdown();
  });

  it('a source whose items are all refused gets the permanent refusal, never ok', async () => {
    vi.useFakeTimers();
    const backend = refusingBackend();
    const p = createBatcher({ lingerMs: 5, timeoutMs: 1000 })(backend);
    await p.start();
    const poison = callerBatch('poison-a-', 3, 'logs');
    const good = callerBatch('g-', 2, 'logs');
    const [a, b] = await settle([p.consume(poison.batch), p.consume(good.batch)]);
    expect(outcomeKind(a!)).toBe('permanent');
    expect(a!.isErr() && a.error.error.message).toContain('INVALID_ARGUMENT');
    expect(outcomeKind(b!)).toBe('ok');
    await p.shutdown();
  });

  it('a transient failure while isolating gives that source retryable (it must send again), not ok', async () => {
    vi.useFakeTimers();
    const inner = refusingBackend();
    let calls = 0;
    const backend: Consumer = {
      consume(batch): Promise<Outcome> {
        calls++;
        // The first resend (source a's part alone) fails transiently.
        return calls === 2 ? Promise.resolve(retryable('backend restarting')) : inner.consume(batch);
      },
    };
    const p = createBatcher({ lingerMs: 5, timeoutMs: 1000 })(backend);
    await p.start();
    const a = callerBatch('a-', 2, 'logs');
    const poison = callerBatch('poison-', 1, 'logs');
    const [oa, op] = await settle([p.consume(a.batch), p.consume(poison.batch)]);
    expect(outcomeKind(oa!)).toBe('retryable');
    expect(outcomeKind(op!)).toBe('permanent');
    await p.shutdown();
  });

  it('a downstream that refuses everything for good costs a bounded number of resends, not two per item', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const backend: Consumer = {
      consume(): Promise<Outcome> {
        calls++;
        return Promise.resolve(permanent('INVALID_ARGUMENT: unknown tenant'));
      },
    };
    const p = createBatcher({ lingerMs: 5, timeoutMs: 1000 })(backend);
    await p.start();
    const sources = [callerBatch('a-', 1000), callerBatch('b-', 24), callerBatch('c-', 1)];
    const outcomes = await settle(sources.map((s) => p.consume(s.batch)));
    expect(outcomes.map(outcomeKind)).toEqual(['permanent', 'permanent', 'permanent']);
    // 1 merged send, 3 part sends, bisection within 8 finds x 2 sends x ceil(log2 1025) levels.
    expect(calls).toBeGreaterThan(4);
    expect(calls).toBeLessThanOrEqual(1 + 3 + 8 * 2 * 11);
    await p.shutdown();
  });

  it('nothing refused: one send, no resends', async () => {
    vi.useFakeTimers();
    const backend = refusingBackend();
    const meter = createTestMeter();
    const p = createBatcher({ lingerMs: 5, timeoutMs: 1000, meterProvider: meter.meterProvider })(backend);
    await p.start();
    const sources = Array.from({ length: 5 }, (_, i) => callerBatch(`h${i}-`, 3, 'logs'));
    const outcomes = await settle(sources.map((s) => p.consume(s.batch)));
    expect(outcomes.map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(backend.calls.length).toBe(1);
    const m = await meter.read();
    expect(m.get('otelcol_processor_batch_isolation_resends')).toBeUndefined();
    await p.shutdown();
  });
});
