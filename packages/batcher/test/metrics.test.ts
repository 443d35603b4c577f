import { afterEach, describe, expect, it, vi } from 'vitest';
import { outcomeKind } from '@otlp-kafka/core';
import { createMemorySink } from '@otlp-kafka/testkit';
import { createBatcher } from '@otlp-kafka/batcher';
import { callerBatch, testMeter } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('batcher metrics', () => {
  it('records send sizes and which trigger sent each batch', async () => {
    vi.useFakeTimers();
    const meter = testMeter();
    const sink = createMemorySink();
    const p = createBatcher({ sendBatchSize: 10, timeoutMs: 100, meterProvider: meter.meterProvider })(sink);
    const a = p.consume(callerBatch('a-', 12).batch);
    const b = p.consume(callerBatch('b-', 3).batch);
    await vi.advanceTimersByTimeAsync(100);
    expect((await Promise.all([a, b])).map(outcomeKind)).toEqual(['ok', 'ok']);
    const m = await meter.read();
    expect(m.get('otelcol_processor_batch_batch_size_trigger_send')).toEqual([1]);
    expect(m.get('otelcol_processor_batch_timeout_trigger_send')).toEqual([1]);
    // histogram: [count, sum]
    expect(m.get('otelcol_processor_batch_batch_send_size')).toEqual([2, 15]);
    const bytes = sink.batches.reduce((n, x) => n + x.bytes.length, 0);
    expect(m.get('otelcol_processor_batch_batch_send_size_bytes')).toEqual([2, bytes]);
  });

  it('observes held bytes and metadata cardinality, and counts refusals by reason', async () => {
    const meter = testMeter();
    const sink = createMemorySink();
    sink.pause();
    const first = callerBatch('a-', 5);
    const p = createBatcher({ timeoutMs: 0, maxPendingBytes: first.batch.bytes.length, meterProvider: meter.meterProvider })(sink);
    const r = p.consume(first.batch);
    expect(outcomeKind(await p.consume(callerBatch('b-', 5).batch))).toBe('backpressure');
    let m = await meter.read();
    expect(m.get('otelcol_processor_batch_pending_bytes')).toEqual([first.batch.bytes.length]);
    expect(m.get('otelcol_processor_batch_refused_items')).toEqual([5]);
    sink.resume();
    await r;
    m = await meter.read();
    expect(m.get('otelcol_processor_batch_pending_bytes')).toEqual([0]);
    expect(m.get('otelcol_processor_batch_metadata_cardinality')).toEqual([0]);
  });
});
