import { outcomeKind, PipelineError, refusalOf, type Outcome } from '@otlp-kafka/core';
import type { Signal } from '@otlp-kafka/pdata';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OtlpExporterImpl } from '../../src/internal/exporter.js';
import type { AttemptResult, Prepared, Transport } from '../../src/internal/transport.js';
import { resolveOptions, type OtlpExporterOptions } from '../../src/options.js';
import { batchOf, state } from '../helpers.js';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';

const OK: AttemptResult = { kind: 'ok', rejectedItems: 0, message: '' };
const UNAVAILABLE: AttemptResult = {
  kind: 'retryable',
  error: new PipelineError('ERR_OTLP_HTTP_STATUS', 'HTTP 503'),
};

interface Call {
  prepared: Prepared;
  abort: AbortSignal;
  answer(r: AttemptResult): void;
}

/**
 * A transport whose sends wait until the test answers them (or answer at once
 * from `auto`). It answers retryable when aborted, as the real ones do.
 */
class FakeTransport implements Transport {
  readonly calls: Call[] = [];
  auto: ((call: number) => AttemptResult | undefined) | undefined;
  prepareResult: AttemptResult | undefined;
  closed = false;
  destroyed = false;

  prepare(signal: Signal, bytes: Uint8Array): Promise<Prepared | AttemptResult> {
    return Promise.resolve(this.prepareResult ?? { signal, body: bytes });
  }

  send(prepared: Prepared, abort: AbortSignal): Promise<AttemptResult> {
    return new Promise((resolve) => {
      const call: Call = { prepared, abort, answer: resolve };
      this.calls.push(call);
      const now = this.auto?.(this.calls.length);
      if (now) resolve(now);
      abort.addEventListener('abort', () =>
        resolve({ kind: 'retryable', error: new PipelineError('ERR_SHUTDOWN', 'aborted') }),
      );
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    this.destroyed = true;
    return Promise.resolve();
  }
}

async function setup(options: OtlpExporterOptions = {}) {
  const transport = new FakeTransport();
  const metrics = createTestMeter();
  const { meterProvider } = metrics;
  const exporter = new OtlpExporterImpl(
    resolveOptions({ retryOnFailure: { randomizationFactor: 0 }, ...options }),
    { meterProvider },
    () => Promise.resolve(transport),
  );
  await exporter.start();
  return { exporter, transport, metrics };
}

/** Fake time; setImmediate stays real so `state()` and `settle()` can look without advancing time. */
const fakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });

/** Lets queued microtasks and p-queue's scheduling run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('OtlpExporterImpl', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses data before start with a retryable outcome', async () => {
    const exporter = new OtlpExporterImpl(resolveOptions({}), {}, () => Promise.resolve(new FakeTransport()));
    const outcome = await exporter.consume(batchOf('traces', 1));
    expect(outcome.isErr() && outcome.error.kind).toBe('retryable');
    expect(refusalOf(outcome)?.code).toBe('ERR_NOT_STARTED');
  });

  it('acknowledges a caller only after its send succeeded', async () => {
    const { exporter, transport } = await setup();
    const pending = exporter.consume(batchOf('traces', 3));
    await settle();
    expect(transport.calls).toHaveLength(1);
    expect(await state(pending)).toBe('pending');
    transport.calls[0]!.answer(OK);
    expect(outcomeKind(await pending)).toBe('ok');
  });

  it('sends the batch bytes as they are to the transport', async () => {
    const { exporter, transport } = await setup();
    transport.auto = () => OK;
    const batch = batchOf('logs', 4);
    await exporter.consume(batch);
    expect(transport.calls[0]!.prepared).toEqual({ signal: 'logs', body: batch.bytes });
  });

  it('runs at most numConsumers sends and queues the rest', async () => {
    const { exporter, transport } = await setup({ sendingQueue: { numConsumers: 2 } });
    const outcomes = Array.from({ length: 5 }, (_, i) => exporter.consume(batchOf('traces', 1, i)));
    await settle();
    expect(transport.calls).toHaveLength(2);
    expect(exporter.queueSize).toBe(3);
    expect(exporter.sending).toBe(2);
    transport.calls[0]!.answer(OK);
    await settle();
    expect(transport.calls).toHaveLength(3);
    expect(exporter.queueSize).toBe(2);
    transport.auto = () => OK;
    for (const c of transport.calls.slice(1)) c.answer(OK);
    expect((await Promise.all(outcomes)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(exporter.queueSize).toBe(0);
  });

  it('answers backpressure at once when queueSize batches are waiting', async () => {
    const { exporter, transport, metrics } = await setup({ sendingQueue: { numConsumers: 1, queueSize: 2 } });
    const accepted = [1, 2, 3].map((i) => exporter.consume(batchOf('traces', 2, i * 10)));
    await settle();
    expect(exporter.queueSize).toBe(2);
    const refused = await exporter.consume(batchOf('traces', 2));
    expect(refused.isErr() && refused.error.kind).toBe('backpressure');
    expect(await metrics.sum('otelcol_exporter_enqueue_failed_spans', { exporter: 'otlphttp' })).toBe(2);
    expect(await metrics.sum('otelcol_exporter_queue_size')).toBe(2);
    expect(await metrics.sum('otelcol_exporter_queue_capacity')).toBe(2);
    transport.auto = () => OK;
    transport.calls[0]!.answer(OK);
    expect((await Promise.all(accepted)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
    // Room again: accepted.
    expect(outcomeKind(await exporter.consume(batchOf('traces', 2)))).toBe('ok');
  });

  it('answers backpressure when the held bytes would pass queueSizeBytes, but lets a lone large batch go', async () => {
    const big = batchOf('traces', 50);
    const { exporter, transport } = await setup({
      sendingQueue: { numConsumers: 1, queueSizeBytes: big.bytes.length },
    });
    const first = exporter.consume(big);
    await settle();
    expect(transport.calls).toHaveLength(1);
    const second = await exporter.consume(batchOf('traces', 1));
    expect(second.isErr() && second.error.kind).toBe('backpressure');
    transport.calls[0]!.answer(OK);
    expect(outcomeKind(await first)).toBe('ok');
    transport.auto = () => OK;
    expect(outcomeKind(await exporter.consume(batchOf('traces', 60)))).toBe('ok');
  });

  it('sends at once without a queue when the sending queue is disabled', async () => {
    const { exporter, transport } = await setup({
      sendingQueue: { enabled: false, numConsumers: 1, queueSize: 1 },
    });
    const outcomes = Array.from({ length: 4 }, () => exporter.consume(batchOf('metrics', 1)));
    await settle();
    expect(transport.calls).toHaveLength(4);
    for (const c of transport.calls) c.answer(OK);
    expect((await Promise.all(outcomes)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('turns partial_success into a partial outcome and counts the rejected items', async () => {
    const { exporter, transport, metrics } = await setup();
    transport.auto = () => ({ kind: 'ok', rejectedItems: 2, message: 'two spans too old' });
    const outcome = await exporter.consume(batchOf('traces', 5));
    expect(outcome.isOk() && outcome.value).toEqual({
      kind: 'partial',
      rejectedItems: 2,
      message: 'two spans too old',
    });
    expect(await metrics.sum('otelcol_exporter_sent_spans', { exporter: 'otlphttp' })).toBe(3);
    expect(await metrics.sum('otelcol_exporter_send_failed_spans', { outcome: 'partial' })).toBe(2);
  });

  it('treats a warning without rejected items as success', async () => {
    const { exporter, transport, metrics } = await setup();
    transport.auto = () => ({ kind: 'ok', rejectedItems: 0, message: 'deprecated field' });
    expect(outcomeKind(await exporter.consume(batchOf('logs', 3)))).toBe('ok');
    expect(await metrics.sum('otelcol_exporter_sent_log_records')).toBe(3);
    expect(await metrics.sum('otelcol_exporter_send_failed_log_records')).toBeUndefined();
  });

  it('returns a permanent failure without retrying and counts it', async () => {
    const { exporter, transport, metrics } = await setup();
    transport.auto = () => ({
      kind: 'permanent',
      error: new PipelineError('ERR_OTLP_HTTP_STATUS', 'HTTP 400'),
    });
    const outcome = await exporter.consume(batchOf('metrics', 4));
    expect(outcome.isErr() && outcome.error.kind).toBe('permanent');
    expect(transport.calls).toHaveLength(1);
    expect(await metrics.sum('otelcol_exporter_send_failed_metric_points', { outcome: 'permanent' })).toBe(4);
  });

  it('returns permanent when the batch cannot be prepared (encoding)', async () => {
    const { exporter, transport } = await setup();
    transport.prepareResult = { kind: 'permanent', error: new PipelineError('ERR_INVALID_DATA', 'bad') };
    const outcome = await exporter.consume(batchOf('traces', 1));
    expect(outcome.isErr() && outcome.error.kind).toBe('permanent');
    expect(transport.calls).toHaveLength(0);
  });

  it('acknowledges an empty batch without sending it', async () => {
    const { exporter, transport } = await setup();
    expect(outcomeKind(await exporter.consume(batchOf('traces', 0)))).toBe('ok');
    expect(transport.calls).toHaveLength(0);
  });

  it('retries a retryable failure after the backoff and holds the caller meanwhile', async () => {
    fakeTimers();
    const { exporter, transport, metrics } = await setup();
    transport.auto = (n) => (n === 1 ? UNAVAILABLE : OK);
    const pending = exporter.consume(batchOf('traces', 2));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(transport.calls).toHaveLength(1);
    expect(await state(pending)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomeKind(await pending)).toBe('ok');
    expect(transport.calls).toHaveLength(2);
    expect(await metrics.sum('otelcol_exporter_sent_spans')).toBe(2);
    expect(await metrics.sum('otelcol_exporter_send_failed_spans')).toBeUndefined();
  });

  it('gives the data back as retryable, never permanent, after maxElapsedMs', async () => {
    fakeTimers();
    const { exporter, transport, metrics } = await setup({
      retryOnFailure: { randomizationFactor: 0, maxElapsedMs: 20_000 },
    });
    transport.auto = () => UNAVAILABLE;
    const pending = exporter.consume(batchOf('logs', 3));
    await vi.runAllTimersAsync();
    const outcome: Outcome = await pending;
    expect(outcome.isErr() && outcome.error.kind).toBe('retryable');
    expect(refusalOf(outcome)?.code).toBe('ERR_OTLP_RETRIES_EXHAUSTED');
    expect(transport.calls).toHaveLength(3); // 0, 5000, 12500; the next wait would end at 23750
    expect(await metrics.sum('otelcol_exporter_send_failed_log_records', { outcome: 'retryable' })).toBe(3);
  });

  it('shutdown stops intake, sends what is queued, cuts pending retries short, then closes', async () => {
    fakeTimers();
    const { exporter, transport } = await setup({ sendingQueue: { numConsumers: 1 } });
    transport.auto = (n) => (n === 1 ? UNAVAILABLE : undefined);
    const retrying = exporter.consume(batchOf('traces', 1, 1));
    const queued = exporter.consume(batchOf('traces', 1, 2));
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.calls).toHaveLength(1); // the first waits for its retry, holding the one consumer

    const stopped = exporter.shutdown();
    const cut = await retrying;
    expect(refusalOf(cut)?.code).toBe('ERR_SHUTDOWN');
    expect(cut.isErr() && cut.error.kind).toBe('retryable');

    const late = await exporter.consume(batchOf('traces', 1, 3));
    expect(late.isErr() && late.error.kind).toBe('retryable');
    expect(refusalOf(late)?.code).toBe('ERR_SHUTDOWN');

    await vi.advanceTimersByTimeAsync(0);
    expect(transport.calls).toHaveLength(2); // the queued batch still gets its attempt
    expect(await state(stopped)).toBe('pending');
    transport.calls[1]!.answer(OK);
    expect(outcomeKind(await queued)).toBe('ok');
    await stopped;
    expect(transport.closed).toBe(true);
    expect(transport.destroyed).toBe(false);
  });

  it('aborts sends still running at shutdownTimeoutMs and refuses the queued ones as retryable', async () => {
    fakeTimers();
    const { exporter, transport } = await setup({
      sendingQueue: { numConsumers: 1 },
      shutdownTimeoutMs: 1_000,
    });
    const stuck = exporter.consume(batchOf('traces', 1, 1));
    const queued = exporter.consume(batchOf('traces', 1, 2));
    await vi.advanceTimersByTimeAsync(0);
    const stopped = exporter.shutdown();
    await vi.advanceTimersByTimeAsync(999);
    expect(transport.calls[0]!.abort.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.calls[0]!.abort.aborted).toBe(true);
    await stopped;
    const [a, b] = await Promise.all([stuck, queued]);
    expect(a.isErr() && a.error.kind).toBe('retryable');
    expect(b.isErr() && b.error.kind).toBe('retryable');
    expect(transport.calls).toHaveLength(1); // the queued one was never sent
    expect(transport.destroyed).toBe(false);
    expect(transport.closed).toBe(true);
  });

  it('names the exporter when refusing before start, and start twice is safe', async () => {
    let built = 0;
    const exporter = new OtlpExporterImpl(resolveOptions({ name: 'otlp/backend' }), {}, () => {
      built++;
      return Promise.resolve(new FakeTransport());
    });
    const early = await exporter.consume(batchOf('traces', 1));
    expect(refusalOf(early)?.message).toMatch(/^otlp exporter otlp\/backend: not started/);
    const first = exporter.start();
    expect(exporter.start()).toBe(first);
    await first;
    expect(built).toBe(1);
    await exporter.shutdown();
    expect(refusalOf(await exporter.consume(batchOf('traces', 1)))?.message).toBe(
      'otlp exporter otlp/backend: shut down',
    );
  });

  it('aborts at the time the caller has left when shorter than shutdownTimeoutMs', async () => {
    fakeTimers();
    const { exporter, transport } = await setup({ shutdownTimeoutMs: 30_000 });
    const stuck = exporter.consume(batchOf('traces', 1, 1));
    await vi.advanceTimersByTimeAsync(0);
    const stopped = exporter.shutdown({ timeoutMs: 2_000 });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(transport.calls[0]!.abort.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.calls[0]!.abort.aborted).toBe(true);
    await stopped;
    expect(outcomeKind(await stuck)).toBe('retryable');
  });

  it('a shutdown during start waits for it, then closes what it opened', async () => {
    let open!: (t: FakeTransport) => void;
    const transport = new FakeTransport();
    const exporter = new OtlpExporterImpl(
      resolveOptions({}),
      {},
      () => new Promise<FakeTransport>((r) => (open = r)),
    );
    const started = exporter.start();
    const stopped = exporter.shutdown();
    expect(refusalOf(await exporter.consume(batchOf('traces', 1)))?.code).toBe('ERR_SHUTDOWN');
    open(transport);
    await started;
    await stopped;
    expect(transport.closed).toBe(true);
    await expect(new OtlpExporterImpl(resolveOptions({}), {}).shutdown().then(() => 'done')).resolves.toBe(
      'done',
    );
  });

  it('shutdown is idempotent and works without start', async () => {
    const never = new OtlpExporterImpl(resolveOptions({}), {}, () => Promise.resolve(new FakeTransport()));
    await Promise.all([never.shutdown(), never.shutdown()]);
    const { exporter, transport } = await setup();
    const a = exporter.shutdown();
    expect(exporter.shutdown()).toBe(a);
    await a;
    expect(transport.closed).toBe(true);
  });
});
