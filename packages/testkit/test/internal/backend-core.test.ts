import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLoadGenerator } from '@otlp-kafka/testkit';
import { BackendCore } from '../../src/internal/backend-core.js';
import { CountingSinkImpl } from '../../src/internal/counting-sink.js';

afterEach(() => {
  vi.useRealTimers();
});

async function core(latencyMs = 0) {
  const sink = new CountingSinkImpl({
    name: 'b',
    delayMs: 0,
    behaviour: 'ok',
    shutdownTimeoutMs: 100,
    keepBatches: false,
  });
  await sink.start();
  return { sink, core: new BackendCore(sink, latencyMs, 1) };
}

describe('BackendCore', () => {
  it('answers only after latencyMs', async () => {
    vi.useFakeTimers();
    const { core: c, sink } = await core(300);
    let answered = false;
    const p = c
      .handle('traces', createLoadGenerator({ itemsPerRequest: 2 }).next().bytes, 'http')
      .then((a) => ((answered = true), a));
    await vi.advanceTimersByTimeAsync(299);
    expect(answered).toBe(false);
    expect(sink.items).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await p).toEqual({ kind: 'ok', rejectedItems: 0, message: '' });
    expect(sink.items).toBe(2);
  });

  it('a mode set forMs returns to ok when the time is up', async () => {
    vi.useFakeTimers();
    const { core: c } = await core();
    const bytes = createLoadGenerator().next().bytes;
    c.setMode('throttle', { forMs: 1000 });
    expect(await c.handle('traces', bytes, 'grpc')).toMatchObject({
      kind: 'error',
      http: 429,
      grpc: 8,
      retryAfterSeconds: 1,
    });
    vi.advanceTimersByTime(999);
    expect(c.mode).toBe('throttle');
    vi.advanceTimersByTime(1);
    expect(c.mode).toBe('ok');
    expect((await c.handle('traces', bytes, 'grpc')).kind).toBe('ok');
  });

  it('a mode for n requests answers exactly n of them', async () => {
    const { core: c } = await core();
    const bytes = createLoadGenerator().next().bytes;
    c.setMode('down', { requests: 2 });
    const kinds = [];
    for (let i = 0; i < 4; i++) kinds.push((await c.handle('traces', bytes, 'http')).kind);
    expect(kinds).toEqual(['drop', 'drop', 'ok', 'ok']);
    expect(c.statuses).toEqual({ 'http dropped': 2, 'http 200': 2 });
  });

  it('bad data is invalid in every accepting mode', async () => {
    const { core: c } = await core();
    c.setMode('partial');
    expect(await c.handle('logs', new Uint8Array([0x0a, 0x03]), 'http')).toMatchObject({
      kind: 'error',
      http: 400,
      grpc: 3,
    });
  });
});
