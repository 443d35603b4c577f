import { afterEach, describe, expect, it, vi } from 'vitest';
import { ok, parseOptions, retryable } from '@otlp-kafka/core';
import { KafkaReceiverImpl } from '../../src/internal/kafka-receiver.js';
import { optionsSchema, type KafkaReceiverOptions } from '../../src/options.js';
import { ControlledConsumer } from '../helpers/controlled-consumer.js';
import { FakeDeadLetter, FakeKafka } from '../helpers/fake-kafka.js';
import { spanNames, traceRequest } from '../helpers/otlp.js';
import { setup, stop, TOPIC, until, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  if (h) await stop(h);
  h = undefined;
  vi.useRealTimers();
});

function bare(options: KafkaReceiverOptions, failConnect = false, hangConnect = false) {
  const kafka = new FakeKafka();
  const deadLetter = new FakeDeadLetter();
  const receiver = new KafkaReceiverImpl(
    parseOptions('test', optionsSchema, options),
    {},
    {
      consumerFactory: kafka.factory({ failConnect, hangConnect }),
      deadLetterFactory: deadLetter.factory(),
    },
  );
  return { kafka, deadLetter, receiver };
}

describe('start', () => {
  it('connects, subscribes to the configured topics and starts the dead-letter producer', async () => {
    h = await setup(
      { topic: undefined, topics: ['a', '^b-.*'], deadLetterTopic: 'dlq', groupId: 'g1' },
      { partitions: [] },
    );
    expect(h.consumer.subscription).toEqual(['a', '^b-.*']);
    expect(h.consumer.config['group.id']).toBe('g1');
    expect(h.consumer.config['enable.auto.offset.store']).toBe(false);
    expect(h.deadLetter.started).toBe(true);
    expect(h.receiver.start()).toBe(h.receiver.start());
    expect(() => h!.receiver.connect('traces', new ControlledConsumer())).toThrow(/before start/);
  });

  it('refuses to start with no pipeline connected', async () => {
    const { receiver } = bare({ topic: 't' });
    await expect(receiver.start()).rejects.toThrow(/no signal is connected/);
  });

  it('rejects with ERR_UNAVAILABLE when Kafka cannot be reached', async () => {
    const { receiver } = bare({ topic: 't', signal: 'traces' }, true);
    receiver.connect('traces', new ControlledConsumer());
    await expect(receiver.start()).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
    await receiver.shutdown();
  });

  it('is bounded by connectTimeoutMs (default 10 s) when librdkafka never answers the connect', async () => {
    vi.useFakeTimers({ now: 0 });
    const { kafka, receiver } = bare(
      { topic: 't', signal: 'traces', brokers: ['k1:9092', 'k2:9092'] },
      false,
      true,
    );
    receiver.connect('traces', new ControlledConsumer());
    let error: unknown;
    const starting = receiver.start().catch((e: unknown) => (error = e));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await starting;
    expect(error).toMatchObject({
      code: 'ERR_UNAVAILABLE',
      message: expect.stringMatching(/k1:9092,k2:9092.*connectTimeoutMs \(10000 ms\)/),
      cause: { code: 'ERR_TIMEOUT' },
    });
    expect(kafka.consumers[0]!.ofType('disconnect')).toHaveLength(1);
    expect(kafka.consumers[0]!.subscription).toEqual([]);
    await receiver.shutdown();
  });

  it('a shorter connectTimeoutMs bounds start() to it', async () => {
    vi.useFakeTimers({ now: 0 });
    const { receiver } = bare({ topic: 't', signal: 'traces', connectTimeoutMs: 500 }, false, true);
    receiver.connect('traces', new ControlledConsumer());
    let error: unknown;
    const starting = receiver.start().catch((e: unknown) => (error = e));
    await vi.advanceTimersByTimeAsync(500);
    await starting;
    expect(error).toMatchObject({ code: 'ERR_UNAVAILABLE', message: expect.stringMatching(/500 ms/) });
  });

  it('one receiver feeds several signals, routing each topic to its pipeline', async () => {
    vi.useFakeTimers({ now: 0 });
    const { kafka, receiver } = bare({
      traces: { topics: ['spans'] },
      logs: { topics: ['^logs-.*'] },
      initialOffset: 'earliest',
    });
    const traces = new ControlledConsumer();
    const logs = new ControlledConsumer();
    traces.auto = () => ok();
    logs.auto = () => ok();
    receiver.connect('traces', traces);
    receiver.connect('logs', logs);
    await receiver.start();
    const consumer = kafka.consumers[0]!;
    expect(consumer.subscription).toEqual(['spans', '^logs-.*']);
    consumer.groupAssigns('spans', [0]);
    consumer.groupAssigns('logs-eu', [0]);
    kafka.produce('spans', 0, traceRequest(['t1']));
    const { encodeRequest } = await import('@otlp-kafka/pdata');
    kafka.produce('logs-eu', 0, Buffer.from(encodeRequest('logs', { resourceLogs: [] })));
    await until(() => traces.settled.length === 1 && logs.settled.length === 1);
    expect(traces.settled[0]!.signal).toBe('traces');
    expect(logs.settled[0]!.signal).toBe('logs');
    let done = false;
    void receiver.shutdown().then(() => (done = true));
    await until(() => done);
  });

  it('shutdown before start does nothing and start after shutdown is refused', async () => {
    const { receiver } = bare({ topic: 't', signal: 'traces' });
    receiver.connect('traces', new ControlledConsumer());
    await receiver.shutdown();
    await expect(receiver.start()).rejects.toMatchObject({ code: 'ERR_SHUTDOWN' });
  });
});

describe('shutdown', () => {
  it('stops fetching, drains in-flight records, commits, then leaves the group', async () => {
    h = await setup({ autoCommit: { enable: true, intervalMs: 60_000 } });
    h.produce(0, ['a']);
    h.produce(0, ['b']);
    await until(() => h!.sink.calls.length === 2);
    let done = false;
    const stopping = h.receiver.shutdown().then(() => (done = true));
    expect(h.receiver.shutdown()).toBe(h.receiver.shutdown());
    h.produce(0, ['after-shutdown']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    expect(h.consumer.ofType('disconnect')).toEqual([]);
    h.sink.calls.splice(0, 2).forEach((c) => c.settle(ok()));
    await until(() => done);
    await stopping;
    expect(h.sink.calls).toEqual([]);
    expect(h.committed(0)).toBe(2);
    const ops = h.consumer.events
      .map((e) => e.op)
      .filter((op) => ['commit', 'unsubscribe', 'disconnect'].includes(op));
    expect(ops).toEqual(['commit', 'unsubscribe', 'disconnect']);
    expect(h.deadLetter.closed).toBe(false);
    h = undefined;
  });

  it('keeps redelivering during the drain, so a backend that comes back in time loses nothing', async () => {
    h = await setup({
      autoCommit: { enable: false },
      errorBackoff: { initialIntervalMs: 1000, randomizationFactor: 0, multiplier: 1 },
    });
    let up = false;
    h.sink.auto = () => (up ? ok() : retryable('down'));
    h.produce(0, ['a']);
    await until(() => h!.consumer.paused.size === 1);
    let done = false;
    void h.receiver.shutdown().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(done).toBe(false);
    up = true;
    await until(() => done);
    expect(h.committed(0)).toBe(1);
    expect(h.sink.settled.map((b) => spanNames(b))).toEqual([['a']]);
    h = undefined;
  });

  it('gives up at shutdownTimeoutMs: commits the contiguous prefix only and leaves the rest for replay', async () => {
    h = await setup({ shutdownTimeoutMs: 5000, autoCommit: { enable: false }, deadLetterTopic: 'dlq' });
    h.produce(0, ['a']);
    h.produce(0, ['b']);
    h.produce(0, ['c']);
    await until(() => h!.sink.calls.length === 3);
    h.sink.calls.shift()!.settle(ok());
    await until(() => h!.committed(0) === 1);
    let done = false;
    void h.receiver.shutdown().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(4900);
    expect(done).toBe(false);
    await until(() => done);
    expect(h.committed(0)).toBe(1);
    expect(h.consumer.ofType('disconnect')).toHaveLength(1);
    expect(h.deadLetter.closed).toBe(true);
    expect(h.logs.some((l) => l.msg?.startsWith('shutdown timeout'))).toBe(true);
    // Late acknowledgements after shutdown change nothing.
    h.sink.calls.splice(0, 2).forEach((c) => c.settle(ok()));
    await vi.advanceTimersByTimeAsync(100);
    expect(h.committed(0)).toBe(1);
    await expect(h.receiver.lag()).resolves.toEqual([]);
    h = undefined;
  });
});

describe('shutdown deadline', () => {
  it('drains only the time the caller has left when shorter than shutdownTimeoutMs, then still commits and disconnects', async () => {
    h = await setup({ shutdownTimeoutMs: 30_000, autoCommit: { enable: false } });
    h.produce(0, ['a']);
    h.produce(0, ['b']);
    await until(() => h!.sink.calls.length === 2);
    h.sink.calls.shift()!.settle(ok());
    await until(() => h!.committed(0) === 1);
    let done = false;
    void h.receiver.shutdown({ timeoutMs: 1000 }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(990);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    await until(() => done, 100); // not the 30 s of its own
    expect(h.committed(0)).toBe(1);
    expect(h.consumer.ofType('disconnect')).toHaveLength(1);
    expect(h.logs.some((l) => l.msg?.startsWith('shutdown timeout'))).toBe(true);
    h = undefined;
  });
});

describe('replay', () => {
  it('a new member replays exactly the uncommitted tail after an unclean stop', async () => {
    h = await setup({ shutdownTimeoutMs: 1000, autoCommit: { enable: false } });
    for (const id of ['a', 'b', 'c', 'd']) h.produce(0, [id]);
    await until(() => h!.sink.calls.length === 4);
    const [a, b, , d] = h.sink.calls.splice(0, 4);
    a!.settle(ok());
    b!.settle(ok());
    d!.settle(ok());
    await until(() => h!.committed(0) === 2);
    await stop(h);
    const kafka = h.kafka;
    h = undefined;

    const sink = new ControlledConsumer();
    sink.auto = () => ok();
    const next = new KafkaReceiverImpl(
      parseOptions('test', optionsSchema, { topic: TOPIC, signal: 'traces' }),
      {},
      {
        consumerFactory: kafka.factory(),
        deadLetterFactory: new FakeDeadLetter().factory(),
      },
    );
    next.connect('traces', sink);
    await next.start();
    kafka.consumers[1]!.groupAssigns(TOPIC, [0]);
    await until(() => sink.settled.length === 2);
    expect(sink.settled.map((x) => spanNames(x)[0])).toEqual(['c', 'd']);
    let done = false;
    void next.shutdown().then(() => (done = true));
    await until(() => done);
    expect(kafka.committed.get(`${TOPIC}[0]`)).toBe(4);
  });
});
