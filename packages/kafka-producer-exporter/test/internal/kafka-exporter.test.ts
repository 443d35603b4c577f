import { outcomeKind, refusalOf, type Outcome } from '@otlp-kafka/core';
import { trustedBatch } from '@otlp-kafka/pdata';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RD } from '../../src/internal/codes.js';
import {
  KafkaExporterImpl,
  REPORT_GRACE_MS,
  type ExporterInternals,
} from '../../src/internal/kafka-exporter.js';
import type { KafkaExporterOptions } from '../../src/options.js';
import { span, spansIn, tracesBatch } from '../support/data.js';
import { fakeProducers, rdError, type FakeProducer } from '../support/fake-producer.js';

const exporters: KafkaExporterImpl[] = [];

function make(
  options: KafkaExporterOptions = {},
  internals: ExporterInternals = {},
  setup?: (p: FakeProducer) => void,
) {
  const fakes = fakeProducers(setup);
  const exporter = new KafkaExporterImpl(
    { shutdownTimeoutMs: 1000, ...options },
    { producerFactory: fakes.factory, now: () => Date.now(), ...internals },
  );
  exporters.push(exporter);
  return { exporter, fakes, producer: () => fakes.instances.at(-1)! };
}

async function started(
  options: KafkaExporterOptions = {},
  internals: ExporterInternals = {},
  setup?: (p: FakeProducer) => void,
) {
  const m = make(options, internals, setup);
  await m.exporter.start();
  return m;
}

/** Settled or not, without waiting. */
async function peek(p: Promise<Outcome>): Promise<Outcome | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), 5))]);
}

const batchOf = (n: number, pad = 0) =>
  tracesBatch([
    { attrs: { 'service.name': 's' }, items: Array.from({ length: n }, (_, i) => span(i, i, pad)) },
  ]);

afterEach(async () => {
  vi.useRealTimers();
  for (const e of exporters.splice(0)) {
    const p = e.shutdown();
    await p;
  }
});

describe('kafka exporter: acknowledgement', () => {
  it('resolves ok only after the delivery report of its message', async () => {
    const { exporter, producer } = await started();
    const done = exporter.consume(batchOf(3));
    expect(await peek(done)).toBe('pending');
    const p = producer();
    expect(p.produced).toHaveLength(1);
    expect(p.produced[0]!.topic).toBe('otlp_spans');
    expect(spansIn(p.produced[0]!.value)).toHaveLength(3);
    p.reportAll();
    expect(outcomeKind(await done)).toBe('ok');
  });

  it('waits for every message of a split batch; one failure makes it retryable', async () => {
    const { exporter, producer } = await started({ producer: { maxMessageBytes: 2000 } });
    const done = exporter.consume(batchOf(40, 100));
    const p = producer();
    expect(p.produced.length).toBeGreaterThan(2);
    for (const m of p.produced.slice(0, -1)) p.report(m);
    expect(await peek(done)).toBe('pending');
    p.report(p.produced.at(-1)!, rdError(RD.ERR__MSG_TIMED_OUT, 'Local: Message timed out'));
    const outcome = await done;
    expect(outcomeKind(outcome)).toBe('retryable');
    expect(refusalOf(outcome)?.message).toMatch(/1 of \d+ messages not delivered.*ERR__MSG_TIMED_OUT/);
  });

  it('refuses for good what Kafka will never accept (topic authorization, too large)', async () => {
    const { exporter, producer } = await started();
    const a = exporter.consume(batchOf(1));
    producer().reportAll(rdError(RD.ERR_TOPIC_AUTHORIZATION_FAILED, 'Broker: Topic authorization failed'));
    const outcome = await a;
    expect(outcomeKind(outcome)).toBe('permanent');
    expect(refusalOf(outcome)?.code).toBe('ERR_KAFKA_DELIVERY');
    const b = exporter.consume(batchOf(1));
    producer().reportAll(rdError(RD.ERR_MSG_SIZE_TOO_LARGE, 'Broker: Message size too large'));
    const tooLarge = await b;
    expect(outcomeKind(tooLarge)).toBe('permanent');
    expect(refusalOf(tooLarge)?.message).toMatch(
      /ERR_MSG_SIZE_TOO_LARGE: Broker: Message size too large \(.*max\.message\.bytes/,
    );
  });

  it('treats an unknown topic as retryable (it may be created)', async () => {
    const { exporter, producer } = await started();
    const done = exporter.consume(batchOf(1));
    producer().reportAll(rdError(RD.ERR__UNKNOWN_TOPIC));
    expect(outcomeKind(await done)).toBe('retryable');
  });

  it('reports ok for the deliverable items and partial for items too large for any message', async () => {
    const { exporter, producer } = await started({
      producer: { maxMessageBytes: 2000, queueMaxKbytes: 1024 },
    });
    const batch = tracesBatch([{ attrs: {}, items: [span(1, 1), span(1, 2, 4000), span(1, 3)] }]);
    const done = exporter.consume(batch);
    producer().reportAll();
    const outcome = await done;
    expect(outcome.isOk() && outcome.value).toMatchObject({ kind: 'partial', rejectedItems: 1 });
    expect(outcome.isOk() && outcome.value.kind === 'partial' && outcome.value.message).toMatch(
      /a span of 4\d{3} bytes exceeds/,
    );
  });

  it('is permanent when no item fits, without producing', async () => {
    const { exporter, producer } = await started({ producer: { maxMessageBytes: 1000 } });
    const outcome = await exporter.consume(tracesBatch([{ attrs: {}, items: [span(1, 1, 3000)] }]));
    expect(outcomeKind(outcome)).toBe('permanent');
    expect(refusalOf(outcome)?.code).toBe('ERR_KAFKA_TOO_LARGE');
    expect(producer().produced).toHaveLength(0);
  });

  it('never produces to a topic outside allowedTopics: permanent alone, partial beside allowed data', async () => {
    const { exporter, producer } = await started({
      topicFromAttribute: 'kafka.topic',
      topicFromMetadataKey: 'x-topic',
      allowedTopics: ['tenant-a'],
    });
    const byHeader = tracesBatch([{ attrs: {}, items: [span(1, 1)] }], {
      headers: { 'x-topic': ['secret'] },
    });
    const refused = await exporter.consume(byHeader);
    expect(outcomeKind(refused)).toBe('permanent');
    expect(refusalOf(refused)?.code).toBe('ERR_KAFKA_TOPIC_NOT_ALLOWED');
    expect(refusalOf(refused)?.message).toMatch(/"secret" is not in allowedTopics/);
    const mixed = tracesBatch([
      { attrs: { 'kafka.topic': 'tenant-a' }, items: [span(1, 2), span(1, 3)] },
      { attrs: { 'kafka.topic': 'other' }, items: [span(1, 4)] },
    ]);
    const done = exporter.consume(mixed);
    await vi.waitFor(() => expect(producer().produced).toHaveLength(1));
    producer().reportAll();
    const outcome = await done;
    expect(outcome.isOk() && outcome.value).toMatchObject({ kind: 'partial', rejectedItems: 1 });
    expect(producer().produced.map((p) => p.topic)).toEqual(['tenant-a']);
  });

  it('refuses unreadable bytes as permanent invalid data', async () => {
    const { exporter } = await started({ partitionTracesById: true });
    const outcome = await exporter.consume(trustedBatch('traces', Uint8Array.from([0x0a, 0x7f, 1]), 1));
    expect(outcome.isErr() && outcome.error).toMatchObject({
      kind: 'permanent',
      error: { code: 'ERR_INVALID_DATA' },
    });
  });

  it('settles an empty batch ok without producing', async () => {
    const { exporter, producer } = await started();
    expect(outcomeKind(await exporter.consume(tracesBatch([])))).toBe('ok');
    expect(producer().produced).toHaveLength(0);
  });
});

describe('kafka exporter: bounded queue', () => {
  it('answers backpressure when librdkafka says its queue is full, after the messages already sent are reported', async () => {
    const { exporter, producer } = await started({ producer: { maxMessageBytes: 2000 } }, {}, (p) => {
      p.produceError = (_m, i) => (i >= 2 ? rdError(RD.ERR__QUEUE_FULL, 'Local: Queue full') : undefined);
    });
    const done = exporter.consume(batchOf(40, 100));
    const p = producer();
    expect(p.produced).toHaveLength(2); // the rest was not attempted after the refusal
    expect(await peek(done)).toBe('pending');
    p.reportAll();
    const outcome = await done;
    expect(outcomeKind(outcome)).toBe('backpressure');
    expect(refusalOf(outcome)?.code).toBe('ERR_BACKPRESSURE');
  });

  it('refuses with backpressure, producing nothing, while the budget is taken by batches awaiting reports', async () => {
    const { exporter, producer } = await started({ producer: { queueMaxMessages: 2 } });
    const first = exporter.consume(batchOf(1));
    const second = exporter.consume(batchOf(1));
    const third = await exporter.consume(batchOf(1));
    expect(outcomeKind(third)).toBe('backpressure');
    expect(refusalOf(third)?.message).toMatch(/queue is full: 2 messages .*queueMaxMessages 2,/);
    expect(producer().produced).toHaveLength(2);
    producer().reportAll();
    expect((await Promise.all([first, second])).map(outcomeKind)).toEqual(['ok', 'ok']);
    const fourth = exporter.consume(batchOf(1));
    producer().reportAll();
    expect(outcomeKind(await fourth)).toBe('ok');
  });

  it('sends a batch larger than the whole budget in waves, ok when all are reported', async () => {
    const { exporter, producer } = await started({ producer: { maxMessageBytes: 1000, queueMaxKbytes: 2 } });
    const done = exporter.consume(batchOf(60, 60));
    const p = producer();
    let waves = 0;
    while (p.unreported.length > 0) {
      waves++;
      const inQueue = p.unreported.reduce((n, m) => n + m.value.length, 0);
      expect(inQueue).toBeLessThanOrEqual(2048);
      p.reportAll();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(waves).toBeGreaterThan(2);
    expect(outcomeKind(await done)).toBe('ok');
    expect(p.produced.flatMap((m) => spansIn(m.value))).toHaveLength(60);
  });

  it('stops sending further waves after a failure', async () => {
    const { exporter, producer } = await started({ producer: { maxMessageBytes: 1000, queueMaxKbytes: 2 } });
    const done = exporter.consume(batchOf(60, 60));
    const p = producer();
    const firstWave = p.produced.length;
    p.report(p.produced[0]!, rdError(RD.ERR__MSG_TIMED_OUT));
    p.reportAll();
    await new Promise((r) => setTimeout(r, 5));
    expect(p.produced.length).toBeLessThanOrEqual(firstWave + 1);
    p.reportAll();
    expect(outcomeKind(await done)).toBe('retryable');
  });
});

describe('kafka exporter: lifecycle', () => {
  it('refuses before start and after shutdown', async () => {
    const { exporter } = make();
    const before = await exporter.consume(batchOf(1));
    expect(before.isErr() && before.error).toMatchObject({
      kind: 'retryable',
      error: { code: 'ERR_NOT_STARTED' },
    });
    await exporter.start();
    await exporter.shutdown();
    const after = await exporter.consume(batchOf(1));
    expect(after.isErr() && after.error).toMatchObject({
      kind: 'retryable',
      error: { code: 'ERR_SHUTDOWN' },
    });
  });

  it('names the exporter when refusing, and start twice connects once', async () => {
    const { exporter, producer } = make({ name: 'kafka/agent' });
    expect(refusalOf(await exporter.consume(batchOf(1)))?.message).toMatch(
      /^kafka exporter kafka\/agent: not started/,
    );
    const first = exporter.start();
    expect(exporter.start()).toBe(first);
    await first;
    expect(producer().connectCalls).toBe(1);
    const stopping = exporter.shutdown();
    expect(refusalOf(await exporter.consume(batchOf(1)))?.message).toBe(
      'kafka exporter kafka/agent: shutting down',
    );
    await stopping;
  });

  it('shutdown waits only the time the caller has left, then refuses the unreported', async () => {
    vi.useFakeTimers();
    const { exporter, producer } = await started({ shutdownTimeoutMs: 30_000 });
    const done = exporter.consume(batchOf(2));
    let stopped = false;
    const stopping = exporter.shutdown({ timeoutMs: 2000 }).then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(stopped).toBe(false);
    expect(producer().flushCalls).toEqual([2000]);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(refusalOf(await done)?.code).toBe('ERR_SHUTDOWN');
    expect(producer().disconnectCalls).toEqual([0]);
  });

  it('a reconnect attempt in progress holds shutdown only until its deadline', async () => {
    vi.useFakeTimers();
    const backoff = { initialIntervalMs: 100, maxIntervalMs: 100, multiplier: 2, randomizationFactor: 0 };
    let built = 0;
    const { exporter, fakes } = await started({ shutdownTimeoutMs: 500 }, { backoff }, (p) => {
      if (built++ === 0) p.connectError = rdError(-195, 'Local: Broker transport failure');
      else p.holdConnect = true;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(fakes.instances[1]!.connectCalls).toBe(1); // the retry is waiting for its broker
    let stopped = false;
    const stopping = exporter.shutdown().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(stopped).toBe(true);
  });

  it('connects in start and has librdkafka poll delivery reports in the background', async () => {
    const { exporter, producer } = await started();
    expect(exporter.connected).toBe(true);
    expect(producer().connectCalls).toBe(1);
    expect(producer().pollingInBackground).toBe(true);
  });

  it('starts with Kafka unreachable, refuses as retryable, and reconnects with backoff', async () => {
    vi.useFakeTimers();
    let fail = true;
    const { exporter, fakes } = await started(
      {},
      { backoff: { initialIntervalMs: 1000, maxIntervalMs: 8000, multiplier: 2, randomizationFactor: 0 } },
      (p) => {
        p.connectError = fail
          ? rdError(-195 /* ERR__TRANSPORT */, 'Local: Broker transport failure')
          : undefined;
      },
    );
    expect(exporter.connected).toBe(false);
    const refused = await exporter.consume(batchOf(1));
    expect(refused.isErr() && refused.error).toMatchObject({
      kind: 'retryable',
      error: { code: 'ERR_KAFKA_NOT_CONNECTED' },
    });
    expect(refusalOf(refused)?.message).toMatch(/cannot connect to Kafka \(localhost:9092\)/);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fakes.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(fakes.instances).toHaveLength(2);
    fail = false;
    await vi.advanceTimersByTimeAsync(1);
    expect(fakes.instances).toHaveLength(3);
    expect(exporter.connected).toBe(true);
    const done = exporter.consume(batchOf(1));
    fakes.instances[2]!.reportAll();
    expect(outcomeKind(await done)).toBe('ok');
  });

  it('gives up on a message whose report never comes, as retryable, never ok', async () => {
    vi.useFakeTimers();
    const { exporter } = await started(
      { producer: { messageTimeoutMs: 5000, lingerMs: 5 } },
      { sweepIntervalMs: 500 },
    );
    const done = exporter.consume(batchOf(1));
    await vi.advanceTimersByTimeAsync(5000 + 5 + REPORT_GRACE_MS - 600);
    expect(await peekFake(done)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1200);
    const outcome = await done;
    expect(outcome.isErr() && outcome.error).toMatchObject({
      kind: 'retryable',
      error: { code: 'ERR_TIMEOUT' },
    });
  });

  it('shutdown stops intake, waits for outstanding reports, then disconnects', async () => {
    const { exporter, producer } = await started();
    const done = exporter.consume(batchOf(2));
    const stopping = exporter.shutdown();
    const late = await exporter.consume(batchOf(1));
    expect(refusalOf(late)?.code).toBe('ERR_SHUTDOWN');
    await new Promise((r) => setTimeout(r, 5));
    expect(producer().disconnectCalls).toHaveLength(0);
    producer().reportAll();
    expect(outcomeKind(await done)).toBe('ok');
    await stopping;
    expect(producer().flushCalls).toHaveLength(1);
    expect(producer().disconnectCalls).toHaveLength(1);
    expect(producer().produced).toHaveLength(1);
  });

  it('shutdown is bounded: unreported messages are refused as retryable', async () => {
    const { exporter, producer } = await started({ shutdownTimeoutMs: 30 });
    const done = exporter.consume(batchOf(2));
    await exporter.shutdown();
    const outcome = await done;
    expect(outcome.isErr() && outcome.error).toMatchObject({
      kind: 'retryable',
      error: { code: 'ERR_SHUTDOWN' },
    });
    expect(producer().disconnectCalls).toHaveLength(1);
    // A report arriving after that changes nothing.
    producer().reportAll();
    expect(outcomeKind(await done)).toBe('retryable');
  });

  it('shutdown is idempotent and works without start', async () => {
    const { exporter, fakes } = make();
    await Promise.all([exporter.shutdown(), exporter.shutdown()]);
    // Without start, no native producer is ever created (nor librdkafka loaded).
    expect(fakes.instances).toHaveLength(0);
  });

  it('a configuration the client refuses fails start() as ERR_INVALID_OPTIONS and is not retried', async () => {
    let calls = 0;
    const refusing = () => {
      calls++;
      throw new Error('No such configuration property: "x"');
    };
    const exporter = new KafkaExporterImpl({ shutdownTimeoutMs: 1000 }, { producerFactory: refusing });
    exporters.push(exporter);
    await expect(exporter.start()).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
      message: expect.stringMatching(/invalid librdkafka configuration: No such/),
    });
    expect(calls).toBe(1);
    expect(outcomeKind(await exporter.consume(batchOf(1)))).toBe('retryable');
  });

  it('replaces a producer that failed fatally', async () => {
    vi.useFakeTimers();
    const { exporter, fakes } = await started(
      {},
      { backoff: { initialIntervalMs: 100, maxIntervalMs: 100, multiplier: 2, randomizationFactor: 0 } },
    );
    const first = fakes.instances[0]!;
    const done = exporter.consume(batchOf(1));
    first.emitError({ code: RD.ERR__FATAL, message: 'Fatal: out of order sequence', isFatal: true });
    expect(exporter.connected).toBe(false);
    first.reportAll(rdError(RD.ERR__FATAL));
    expect(outcomeKind(await done)).toBe('retryable');
    expect(first.disconnectCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(exporter.connected).toBe(true);
    expect(fakes.instances).toHaveLength(2);
  });
});

async function peekFake(p: Promise<Outcome>): Promise<Outcome | 'pending'> {
  const marker = Symbol('pending');
  const r = await Promise.race([p, Promise.resolve(marker)]);
  return r === marker ? 'pending' : (r as Outcome);
}

beforeEach(() => {
  vi.useRealTimers();
});
