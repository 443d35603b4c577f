import { describe, expect, it } from 'vitest';
import { createPipeline, createPushReceiver, outcomeKind, permanent, refusalOf } from '@otlp-kafka/core';
import { fakeExporter, trustedBatchForTest, type Journal } from './helpers.js';

describe('createPushReceiver', () => {
  it('hands batches pushed from code to the pipeline of their signal and answers with its outcome', async () => {
    const journal: Journal = [];
    const push = createPushReceiver();
    const traces = fakeExporter('traces', journal);
    const logs = fakeExporter('logs', journal, permanent('refused by the backend'));
    const pipeline = createPipeline({
      pipelines: [
        { signal: 'traces', receivers: [push], exporters: [traces] },
        { signal: 'logs', receivers: [push], exporters: [logs] },
      ],
    });
    const early = await push.consume(trustedBatchForTest('traces', 1));
    expect(refusalOf(early)?.code).toBe('ERR_NOT_STARTED');
    await pipeline.start();
    const batch = trustedBatchForTest('traces', 2);
    expect(outcomeKind(await push.consume(batch))).toBe('ok');
    expect(traces.batches).toEqual([batch]);
    expect(outcomeKind(await push.consume(trustedBatchForTest('logs', 1)))).toBe('permanent');
    const metrics = await push.consume(trustedBatchForTest('metrics', 1));
    expect(outcomeKind(metrics)).toBe('permanent');
    expect(refusalOf(metrics)?.message).toMatch(/no metrics pipeline \(connected: traces, logs\)/);
    await pipeline.shutdown();
    expect(refusalOf(await push.consume(batch))?.code).toBe('ERR_SHUTDOWN');
  });

  it('shutdown waits for a batch still in the pipeline', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const push = createPushReceiver({ signals: ['traces'] });
    const exporter = { ...fakeExporter('slow', []), consume: () => gate.then(() => permanent('late')) };
    push.connect('traces', exporter);
    await push.start();
    const pending = push.consume(trustedBatchForTest('traces', 1));
    let stopped = false;
    const stopping = push.shutdown().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(outcomeKind(await pending)).toBe('permanent');
  });

  it('refuses bad options and a signal it does not take', () => {
    expect(() => createPushReceiver({ signals: [] })).toThrow(
      /signals must be some of traces, metrics, logs/,
    );
    expect(() => createPushReceiver({ shutdownTimeoutMs: -1 })).toThrow(/shutdownTimeoutMs/);
    const push = createPushReceiver({ signals: ['logs'] });
    expect(() => push.connect('traces', fakeExporter('x', []))).toThrow(/does not take traces/);
  });
});
