import { afterEach, describe, expect, it, vi } from 'vitest';
import { ok, permanent, retryable, type Batch, type Outcome } from '@otlp-kafka/core';
import { spanNames } from '../helpers/otlp.js';
import { setup, stop, until, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  if (h) await stop(h);
  h = undefined;
  vi.useRealTimers();
});

const backoff = { initialIntervalMs: 1000, multiplier: 1, randomizationFactor: 0 };

/** A handler that answers from `answers` in turn (then ok), recording the span names it saw. */
function scripted(answers: (() => Outcome | Promise<Outcome>)[]) {
  const seen: string[] = [];
  const handler = async (batch: Batch): Promise<Outcome> => {
    seen.push(...spanNames(batch));
    const next = answers.shift();
    return next ? next() : ok();
  };
  return { seen, handler };
}

describe('a function as the pipeline', () => {
  it('commits what it answers ok, sync or async', async () => {
    const seen: string[] = [];
    const handler = (batch: Batch): Outcome => {
      seen.push(...spanNames(batch));
      return ok();
    };
    h = await setup({ autoCommit: { enable: false } }, { next: handler });
    h.produce(0, ['a']);
    h.produce(0, ['b']);
    await until(() => h!.committed(0) === 2);
    expect(seen).toEqual(['a', 'b']);
  });

  it('redelivers after a retryable answer, and dead-letters a permanent one', async () => {
    const { seen, handler } = scripted([() => retryable('down'), () => ok(), () => permanent('bad')]);
    h = await setup(
      { autoCommit: { enable: false }, errorBackoff: backoff, deadLetterTopic: 'dlq' },
      { next: handler },
    );
    h.produce(0, ['a']);
    await until(() => h!.committed(0) === 1);
    expect(seen).toEqual(['a', 'a']);
    h.produce(0, ['b']);
    await until(() => h!.committed(0) === 2);
    expect(h.deadLetter.letters.map((l) => l.sourceOffset)).toEqual([1]);
  });

  it('treats a throw or a rejected promise as retryable: redelivered, logged, nothing skipped', async () => {
    const { seen, handler } = scripted([
      () => {
        throw new Error('boom');
      },
      () => Promise.reject(new Error('async boom')),
    ]);
    h = await setup({ autoCommit: { enable: false }, errorBackoff: backoff }, { next: handler });
    h.produce(0, ['a']);
    await vi.advanceTimersByTimeAsync(1500);
    expect(seen).toEqual(['a', 'a']);
    expect(h.committed(0)).toBeUndefined();
    await until(() => h!.committed(0) === 1);
    expect(seen).toEqual(['a', 'a', 'a']);
    const thrown = h.logs.filter((l) => l.level === 'error' && l.msg?.startsWith('batch handler threw'));
    expect(thrown).toHaveLength(2);
    expect(thrown[0]!.obj).toMatchObject({
      topic: 'otlp-traces',
      partition: 0,
      offset: 0,
      err: { message: 'boom' },
    });
    expect(await h.meter.sum('otelcol_kafka_receiver_redeliveries')).toBe(2);
  });

  it('treats a value that is not an Outcome as retryable', async () => {
    const { seen, handler } = scripted([() => undefined as unknown as Outcome]);
    h = await setup({ autoCommit: { enable: false }, errorBackoff: backoff }, { next: handler });
    h.produce(0, ['a']);
    await until(() => h!.committed(0) === 1);
    expect(seen).toEqual(['a', 'a']);
    expect(h.logs.some((l) => l.msg?.includes('returned no Outcome'))).toBe(true);
  });

  it('refuses something that is neither a Consumer nor a function', async () => {
    const { createKafkaReceiver } = await import('../../src/index.js');
    const r = createKafkaReceiver({ topic: 't', signal: 'traces' });
    expect(() => r.connect('traces', {} as never)).toThrow(/Consumer or a function/);
  });
});
