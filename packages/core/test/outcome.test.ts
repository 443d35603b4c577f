import { describe, expect, it } from 'vitest';
import {
  PipelineError,
  backpressure,
  ok,
  outcomeKind,
  partial,
  permanent,
  refusalOf,
  rejectedItemsOf,
  retryAfterMs,
  retryable,
  worst,
  type Outcome,
} from '@otlp-kafka/core';

describe('outcome constructors', () => {
  it('ok and partial are Ok values', () => {
    expect(ok().isOk()).toBe(true);
    expect(outcomeKind(ok())).toBe('ok');
    const p = partial(3, 'bad spans');
    expect(p.isOk()).toBe(true);
    expect(p.isOk() && p.value).toEqual({ kind: 'partial', rejectedItems: 3, message: 'bad spans' });
  });

  it('string errors become PipelineErrors with the code of their kind', () => {
    const r = retryable('down');
    const b = backpressure('full');
    const p = permanent('broken');
    expect(refusalOf(r)).toBeInstanceOf(PipelineError);
    expect(refusalOf(r)?.code).toBe('ERR_UNAVAILABLE');
    expect(refusalOf(b)?.code).toBe('ERR_BACKPRESSURE');
    expect(refusalOf(p)?.code).toBe('ERR_INVALID_DATA');
    expect(refusalOf(p)?.message).toBe('broken');
  });

  it('keeps a given PipelineError and the retry-after delay', () => {
    const e = new PipelineError('ERR_TIMEOUT', 'slow');
    const r = retryable(e, 250);
    expect(r.isErr() && r.error).toEqual({ kind: 'retryable', error: e, retryAfterMs: 250 });
    expect(retryAfterMs(r)).toBe(250);
    expect(retryAfterMs(backpressure('full', 1000))).toBe(1000);
    expect(retryAfterMs(retryable('x'))).toBeUndefined();
    expect(retryAfterMs(permanent('x'))).toBeUndefined();
    expect(retryAfterMs(ok())).toBeUndefined();
    // No retryAfterMs key at all when none was given (outcomes are compared structurally in tests).
    const plain = retryable('x');
    expect(plain.isErr() && 'retryAfterMs' in plain.error).toBe(false);
  });
});

describe('worst()', () => {
  const kinds = (outcomes: Outcome[]) => outcomeKind(worst(outcomes));

  it('is ok for no outcomes and for all ok', () => {
    expect(kinds([])).toBe('ok');
    expect(kinds([ok(), ok()])).toBe('ok');
  });

  it('orders ok < partial < permanent < backpressure < retryable', () => {
    const order: Array<() => Outcome> = [
      () => ok(),
      () => partial(1, 'p'),
      () => permanent('x'),
      () => backpressure('x'),
      () => retryable('x'),
    ];
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) {
        const expected = outcomeKind(order[Math.max(i, j)]!());
        expect(kinds([order[i]!(), order[j]!()])).toBe(expected);
      }
    }
  });

  it('returns the worst outcome itself, with its error', () => {
    const r = retryable('broker gone', 500);
    const w = worst([ok(), permanent('bad'), r, backpressure('full')]);
    expect(w).toBe(r);
    expect(retryAfterMs(w)).toBe(500);
  });

  it('the first of equally bad outcomes wins', () => {
    const a = permanent('first');
    const b = permanent('second');
    expect(worst([a, b])).toBe(a);
  });

  it('adds up partial rejections and joins their messages', () => {
    const w = worst([partial(2, 'two bad'), ok(), partial(5, 'five bad')]);
    expect(w.isOk() && w.value).toEqual({ kind: 'partial', rejectedItems: 7, message: 'two bad; five bad' });
  });

  it('a single partial stays as it is', () => {
    const w = worst([ok(), partial(4, 'four')]);
    expect(w.isOk() && w.value).toEqual({ kind: 'partial', rejectedItems: 4, message: 'four' });
  });

  it('a refusal outranks partial sums', () => {
    const w = worst([partial(2, 'a'), backpressure('full'), partial(3, 'b')]);
    expect(outcomeKind(w)).toBe('backpressure');
  });
});

describe('outcome accessors', () => {
  it('refusalOf gives the error of a refusal and nothing for an acceptance', () => {
    const e = new PipelineError('ERR_TIMEOUT', 'slow');
    expect(refusalOf(retryable(e))).toBe(e);
    expect(refusalOf(backpressure('full'))?.code).toBe('ERR_BACKPRESSURE');
    expect(refusalOf(permanent('bad'))?.message).toBe('bad');
    expect(refusalOf(ok())).toBeUndefined();
    expect(refusalOf(partial(1, 'x'))).toBeUndefined();
  });

  it('rejectedItemsOf counts what an acceptance rejected; a refusal took nothing', () => {
    expect(rejectedItemsOf(partial(3, 'x'))).toBe(3);
    expect(rejectedItemsOf(ok())).toBe(0);
    expect(rejectedItemsOf(retryable('x'))).toBeUndefined();
    expect(rejectedItemsOf(permanent('x'))).toBeUndefined();
  });
});
