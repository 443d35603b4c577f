import { afterEach, describe, expect, it, vi } from 'vitest';
import { outcomeKind } from '@otlp-kafka/core';
import { createMemorySink } from '@otlp-kafka/testkit';
import { createBatcher } from '@otlp-kafka/batcher';
import { callerBatch } from './helpers.js';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';

afterEach(() => {
  vi.useRealTimers();
});

describe('batcher metrics', () => {
  it('records send sizes and which trigger sent each batch', async () => {
    vi.useFakeTimers();
    const meter = createTestMeter();
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createBatcher({ sendBatchSize: 10, timeoutMs: 100, meterProvider: meter.meterProvider })(sink);
    await p.start();
    const a = p.consume(callerBatch('a-', 12).batch); // size trigger
    const b = p.consume(callerBatch('b-', 3).batch); // behind a's send: waits for the timeout
    await vi.advanceTimersByTimeAsync(99);
    let m = await meter.read();
    expect(m.get('otelcol_processor_batch_sends_in_flight')?.map((p) => p.value)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    sink.resume();
    const c = p.consume(callerBatch('c-', 2).batch); // a slot frees: sent when it does
    expect((await Promise.all([a, b, c])).map(outcomeKind)).toEqual(['ok', 'ok', 'ok']);
    m = await meter.read();
    expect(m.get('otelcol_processor_batch_batch_size_trigger_send')?.map((p) => p.value)).toEqual([1]);
    expect(m.get('otelcol_processor_batch_timeout_trigger_send')?.map((p) => p.value)).toEqual([1]);
    expect(m.get('otelcol_processor_batch_slot_trigger_send')?.map((p) => p.value)).toEqual([1]);
    expect(m.get('otelcol_processor_batch_sends_in_flight')?.map((p) => p.value)).toEqual([0]);
    expect(m.get('otelcol_processor_batch_batch_send_size')?.map((p) => p.value)).toEqual([
      { count: 3, sum: 17 },
    ]);
    const bytes = sink.batches.reduce((n, x) => n + x.bytes.length, 0);
    expect(m.get('otelcol_processor_batch_batch_send_size_bytes')?.map((p) => p.value)).toEqual([
      { count: 3, sum: bytes },
    ]);
  });

  it('observes held bytes and metadata cardinality, and counts refusals by reason', async () => {
    const meter = createTestMeter();
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const first = callerBatch('a-', 5);
    const p = createBatcher({
      timeoutMs: 0,
      maxPendingBytes: first.batch.bytes.length,
      meterProvider: meter.meterProvider,
    })(sink);
    await p.start();
    const r = p.consume(first.batch);
    expect(outcomeKind(await p.consume(callerBatch('b-', 5).batch))).toBe('backpressure');
    let m = await meter.read();
    expect(m.get('otelcol_processor_batch_pending_bytes')?.map((p) => p.value)).toEqual([
      first.batch.bytes.length,
    ]);
    expect(m.get('otelcol_processor_batch_refused_items')?.map((p) => p.value)).toEqual([5]);
    sink.resume();
    await r;
    m = await meter.read();
    expect(m.get('otelcol_processor_batch_pending_bytes')?.map((p) => p.value)).toEqual([0]);
    expect(m.get('otelcol_processor_batch_metadata_cardinality')?.map((p) => p.value)).toEqual([0]);
  });
});
