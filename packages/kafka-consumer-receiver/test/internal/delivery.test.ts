import { afterEach, describe, expect, it, vi } from 'vitest';
import { backpressure, ok, permanent, retryable, type Outcome } from '@otlp-kafka/core';
import { DEAD_LETTER_HEADERS } from '../../src/internal/dead-letter.js';
import { corruptTraceRequest, spanNames } from '../helpers/otlp.js';
import { setup, stop, TOPIC, until, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  if (h) await stop(h);
  h = undefined;
  vi.useRealTimers();
});

/** Answers with the scripted outcomes in turn, then ok; records when each call came. */
function script(harness: Harness, outcomes: Outcome[]): number[] {
  const times: number[] = [];
  harness.sink.auto = () => {
    times.push(Date.now());
    return outcomes.shift() ?? ok();
  };
  return times;
}

describe('redelivery', () => {
  it('redelivers the same record after exponential backoff until it is accepted, pausing its partition meanwhile', async () => {
    h = await setup({
      autoCommit: { enable: false },
      errorBackoff: { initialIntervalMs: 1000, multiplier: 2, maxIntervalMs: 3000, randomizationFactor: 0 },
    });
    const times = script(h, [retryable('down'), retryable('down'), retryable('down'), retryable('down')]);
    h.produce(0, ['a', 'b']);
    await until(() => h!.sink.settled.length === 1, 30_000);
    const start = times[0]!;
    expect(times.map((t) => t - start)).toEqual([0, 1000, 3000, 6000, 9000]);
    expect(h.sink.settled.map((b) => spanNames(b))).toEqual([['a', 'b']]);
    const ops = h.consumer.events
      .filter((e) => e.op === 'pause' || e.op === 'resume' || e.op === 'commit')
      .map((e) => e.op);
    // assign's resume, then: paused while retrying; committed only after acceptance, then resumed.
    expect(ops).toEqual(['resume', 'pause', 'commit', 'resume']);
    expect(h.committed(0)).toBe(1);
    expect(await h.meter.sum('otelcol_kafka_receiver_redeliveries', { outcome: 'retryable' })).toBe(4);
  });

  it('never skips a retryable record and never commits past it, while later records succeed', async () => {
    h = await setup({ autoCommit: { enable: false } });
    let failing = true;
    const attempts = new Map<string, number>();
    h.sink.auto = (batch) => {
      const name = spanNames(batch)[0]!;
      attempts.set(name, (attempts.get(name) ?? 0) + 1);
      return name === 'stuck' && failing ? retryable('backend down', 2000) : ok();
    };
    h.produce(0, ['stuck']);
    h.produce(0, ['next-1']);
    h.produce(0, ['next-2']);
    await until(() => (attempts.get('next-2') ?? 0) === 1);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(attempts.get('stuck')!).toBeGreaterThan(20);
    expect(h.committed(0)).toBeUndefined();
    expect(h.consumer.ofType('store')).toEqual([]);
    failing = false;
    await until(() => h!.committed(0) === 3);
    expect(attempts.get('next-1')).toBe(1);
  });

  it('honours a retry-after hint longer than the backoff', async () => {
    h = await setup({ errorBackoff: { initialIntervalMs: 100, randomizationFactor: 0 } });
    const times = script(h, [retryable('busy', 7000)]);
    h.produce(0, ['a']);
    await until(() => times.length === 2, 20_000);
    expect(times[1]! - times[0]!).toBe(7000);
  });

  it('pauses only the partition that met backpressure; the others keep flowing', async () => {
    h = await setup({}, { partitions: [0, 1] });
    h.sink.auto = (batch) => (spanNames(batch)[0] === 'p0' ? backpressure('memory limit') : ok());
    h.produce(0, ['p0']);
    await until(() => h!.consumer.paused.has(`${TOPIC}[0]`));
    h.produce(1, ['p1-a']);
    h.produce(1, ['p1-b']);
    await until(() => h!.sink.settled.length === 2);
    expect(h.consumer.paused.has(`${TOPIC}[1]`)).toBe(false);
    h.sink.auto = () => ok();
    await until(() => !h!.consumer.paused.has(`${TOPIC}[0]`) && h!.sink.settled.length === 3, 60_000);
    expect(
      await h.meter.sum('otelcol_kafka_receiver_redeliveries', { outcome: 'backpressure' }),
    ).toBeGreaterThan(0);
  });
});

describe('permanent failures', () => {
  it('sends a permanently refused record to the dead-letter topic with where and why, then moves on', async () => {
    h = await setup({ deadLetterTopic: 'otlp-dlq', autoCommit: { enable: false } });
    script(h, [permanent('schema violation')]);
    const offset = h.produce(0, ['bad'], [{ tenant: 'acme' }]);
    h.produce(0, ['good']);
    await until(() => h!.committed(0) === 2);
    expect(h.deadLetter.topics).toEqual(['otlp-dlq']);
    expect(h.deadLetter.letters).toHaveLength(1);
    const letter = h.deadLetter.letters[0]!;
    const original = h.kafka.logs.get(`${TOPIC}[0]`)![offset]!;
    expect(letter.value).toBe(original.value);
    expect(letter.sourceTopic).toBe(TOPIC);
    expect(letter.sourcePartition).toBe(0);
    expect(letter.sourceOffset).toBe(offset);
    expect(letter.error.message).toBe('schema violation');
    expect(letter.error.code).toBe('ERR_INVALID_DATA');
    expect(letter.headers).toEqual([{ tenant: 'acme' }]);
    expect(h.sink.settled.map((b) => spanNames(b))).toEqual([['good']]);
    expect(await h.meter.sum('otelcol_kafka_receiver_dead_lettered_messages', { reason: 'permanent' })).toBe(
      1,
    );
    expect(await h.meter.sum('otelcol_receiver_refused_spans')).toBe(1);
  });

  it('dead-letters an undecodable record without calling the pipeline', async () => {
    h = await setup({ deadLetterTopic: 'otlp-dlq', autoCommit: { enable: false } });
    h.sink.auto = () => ok();
    h.kafka.produce(TOPIC, 0, Buffer.from('not protobuf at all'));
    h.kafka.produce(TOPIC, 0, null);
    h.produce(0, ['fine']);
    await until(() => h!.committed(0) === 3);
    expect(h.deadLetter.letters.map((l) => [l.sourceOffset, l.error.code])).toEqual([
      [0, 'ERR_INVALID_DATA'],
      [1, 'ERR_INVALID_DATA'],
    ]);
    expect(h.sink.settled).toHaveLength(1);
    expect(await h.meter.sum('otelcol_kafka_receiver_unmarshal_failed_spans')).toBe(2);
    expect(
      await h.meter.sum('otelcol_kafka_receiver_dead_lettered_messages', { reason: 'undecodable' }),
    ).toBe(2);
  });

  it('dead-letters (or without a topic skips) records wrong inside their items; the partition keeps moving', async () => {
    for (const deadLetterTopic of ['otlp-dlq', undefined]) {
      h = await setup({ autoCommit: { enable: false }, ...(deadLetterTopic ? { deadLetterTopic } : {}) });
      h.sink.auto = () => ok();
      h.produce(0, ['ok-1']);
      for (const c of ['short-trace-id', 'invalid-utf8', 'deep-nesting'] as const)
        h.kafka.produce(TOPIC, 0, corruptTraceRequest('badx', c));
      h.produce(0, ['ok-2']);
      await until(() => h!.committed(0) === 5);
      expect(h.sink.settled.map((b) => spanNames(b))).toEqual([['ok-1'], ['ok-2']]);
      expect(await h.meter.sum('otelcol_kafka_receiver_unmarshal_failed_spans')).toBe(3);
      if (deadLetterTopic) expect(h.deadLetter.letters.map((l) => l.sourceOffset)).toEqual([1, 2, 3]);
      else
        expect(await h.meter.sum('otelcol_kafka_receiver_skipped_messages', { reason: 'undecodable' })).toBe(
          3,
        );
      const logged = h.logs.filter((l) => /^undecodable record (sent|skipped)/.test(l.msg ?? ''));
      expect(logged.map((l) => l.obj)).toEqual(
        [1, 2, 3].map((offset) => expect.objectContaining({ topic: TOPIC, partition: 0, offset })),
      );
      await stop(h);
      h = undefined;
    }
  });

  it('commits past a dead letter only once the dead-letter topic acknowledged it', async () => {
    h = await setup({
      deadLetterTopic: 'otlp-dlq',
      autoCommit: { enable: false },
      errorBackoff: { initialIntervalMs: 1000, randomizationFactor: 0 },
    });
    h.deadLetter.failNext = 3;
    h.kafka.produce(TOPIC, 0, Buffer.from([0xff]));
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.deadLetter.letters).toHaveLength(0);
    expect(h.committed(0)).toBeUndefined();
    expect(h.consumer.paused.has(`${TOPIC}[0]`)).toBe(true);
    await until(() => h!.committed(0) === 1, 20_000);
    expect(h.deadLetter.letters).toHaveLength(1);
    expect(h.logs.filter((l) => l.msg === 'dead-letter write failed; retrying')).toHaveLength(3);
  });

  it('without a dead-letter topic, counts, logs and skips what can never be delivered', async () => {
    h = await setup({ autoCommit: { enable: false } });
    script(h, [permanent('bad data')]);
    h.produce(0, ['refused']);
    h.kafka.produce(TOPIC, 0, Buffer.from('garbage'));
    h.produce(0, ['fine']);
    await until(() => h!.committed(0) === 3);
    expect(await h.meter.sum('otelcol_kafka_receiver_skipped_messages', { reason: 'permanent' })).toBe(1);
    expect(await h.meter.sum('otelcol_kafka_receiver_skipped_messages', { reason: 'undecodable' })).toBe(1);
    const skipped = h.logs.filter((l) => l.level === 'error' && l.msg?.includes('skipped'));
    expect(skipped.map((l) => (l.obj as { offset: number }).offset).sort()).toEqual([0, 1]);
    // One compact line each: coordinates and the reason, no error object with a stack trace.
    for (const line of skipped) {
      const obj = line.obj as Record<string, unknown>;
      expect(obj).toMatchObject({ topic: TOPIC, partition: 0 });
      expect(typeof obj['reason']).toBe('string');
      expect(obj['err']).toBeUndefined();
      expect(JSON.stringify(obj).length).toBeLessThan(600);
    }
  });

  it('a flood of poison records logs a bounded number of lines; the metrics count every record', async () => {
    h = await setup({ autoCommit: { enable: false } });
    script(h, []);
    for (let i = 0; i < 50; i++) h.kafka.produce(TOPIC, 0, Buffer.from(`garbage ${i}`));
    h.produce(0, ['fine']);
    await until(() => h!.committed(0) === 51);
    expect(await h.meter.sum('otelcol_kafka_receiver_skipped_messages', { reason: 'undecodable' })).toBe(50);
    const lines = h.logs.filter((l) => l.level === 'error' && l.msg?.includes('skipped'));
    expect(lines.length).toBe(10);
  });

  it('dead-letter headers say what failed, where it came from and when', async () => {
    const { deadLetterHeaders } = await import('../../src/internal/dead-letter.js');
    const { PipelineError } = await import('@otlp-kafka/core');
    const headers = deadLetterHeaders({
      value: Buffer.from('x'),
      key: null,
      headers: [{ a: 'b' }],
      sourceTopic: 't',
      sourcePartition: 3,
      sourceOffset: 42,
      error: new PipelineError('ERR_INVALID_DATA', 'broken'),
      failedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    });
    expect(headers).toEqual([
      { a: 'b' },
      { [DEAD_LETTER_HEADERS.error]: 'broken' },
      { [DEAD_LETTER_HEADERS.errorCode]: 'ERR_INVALID_DATA' },
      { [DEAD_LETTER_HEADERS.sourceTopic]: 't' },
      { [DEAD_LETTER_HEADERS.sourcePartition]: '3' },
      { [DEAD_LETTER_HEADERS.sourceOffset]: '42' },
      { [DEAD_LETTER_HEADERS.failedAt]: '2026-01-02T03:04:05.000Z' },
    ]);
  });
});
