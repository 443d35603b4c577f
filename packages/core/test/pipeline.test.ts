import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createPipeline,
  outcomeKind,
  permanent,
  PIPELINE_SHUTDOWN_TIMEOUT_MS,
  PipelineError,
  type Exporter,
  type Logger,
  type ProcessorFactory,
  type Receiver,
  type ShutdownOptions,
} from '@otlp-kafka/core';
import { fakeExporter, fakeReceiver, tagProcessor, trustedBatchForTest, type Journal } from './helpers.js';

describe('createPipeline wiring', () => {
  it('routes a receiver through the processors in order to the exporter', async () => {
    const journal: Journal = [];
    const trail: string[] = [];
    const r = fakeReceiver('r', journal);
    const e = fakeExporter('e', journal);
    createPipeline({
      pipelines: [
        {
          signal: 'traces',
          receivers: [r],
          processors: [tagProcessor('p1', journal, trail), tagProcessor('p2', journal, trail)],
          exporters: [e],
        },
      ],
    });
    const batch = trustedBatchForTest('traces', 3);
    expect(outcomeKind(await r.send('traces', batch))).toBe('ok');
    expect(trail).toEqual(['p1', 'p2']);
    expect(e.batches).toEqual([batch]);
    expect([...r.connected.keys()]).toEqual(['traces']);
  });

  it('one receiver feeds the pipelines of several signals', async () => {
    const journal: Journal = [];
    const r = fakeReceiver('r', journal);
    const et = fakeExporter('et', journal);
    const el = fakeExporter('el', journal);
    createPipeline({
      pipelines: [
        { signal: 'traces', receivers: [r], exporters: [et] },
        { signal: 'logs', receivers: [r], exporters: [el] },
      ],
    });
    const t = trustedBatchForTest('traces');
    const l = trustedBatchForTest('logs');
    await r.send('traces', t);
    await r.send('logs', l);
    expect(et.batches).toEqual([t]);
    expect(el.batches).toEqual([l]);
    expect([...r.connected.keys()].sort()).toEqual(['logs', 'traces']);
    expect(r.connected.has('metrics')).toBe(false);
  });

  it('a receiver in two pipelines of one signal fans out and settles with the worst', async () => {
    const journal: Journal = [];
    const r = fakeReceiver('r', journal);
    const good = fakeExporter('good', journal);
    const bad = fakeExporter('bad', journal, permanent('nope'));
    createPipeline({
      pipelines: [
        { signal: 'traces', name: 'traces/a', receivers: [r], exporters: [good] },
        { signal: 'traces', name: 'traces/b', receivers: [r], exporters: [bad] },
      ],
    });
    const batch = trustedBatchForTest();
    expect(outcomeKind(await r.send('traces', batch))).toBe('permanent');
    expect(good.batches).toEqual([batch]);
    expect(bad.batches).toEqual([batch]);
    expect(journal.filter((j) => j.startsWith('connect'))).toEqual(['connect r traces']);
  });

  it('several exporters in one pipeline each get the batch', async () => {
    const journal: Journal = [];
    const r = fakeReceiver('r', journal);
    const a = fakeExporter('a', journal);
    const b = fakeExporter('b', journal);
    const p = createPipeline({ pipelines: [{ signal: 'metrics', receivers: [r], exporters: [a, b] }] });
    await r.send('metrics', trustedBatchForTest('metrics'));
    expect(a.batches).toHaveLength(1);
    expect(b.batches).toHaveLength(1);
    expect(p.exporters).toEqual([a, b]);
    expect(p.receivers).toEqual([r]);
  });

  it('builds processors once per pipeline', () => {
    const journal: Journal = [];
    let built = 0;
    const factory: ProcessorFactory = (next) => {
      built++;
      return tagProcessor('p', journal)(next);
    };
    const r = fakeReceiver('r', journal);
    const e = fakeExporter('e', journal);
    createPipeline({
      pipelines: [
        { signal: 'traces', receivers: [r], processors: [factory], exporters: [e] },
        { signal: 'logs', receivers: [r], processors: [factory], exporters: [e] },
      ],
    });
    expect(built).toBe(2);
  });

  it('lists shared receivers and exporters once', () => {
    const journal: Journal = [];
    const r = fakeReceiver('r', journal);
    const e = fakeExporter('e', journal);
    const p = createPipeline({
      pipelines: [
        { signal: 'traces', receivers: [r], exporters: [e] },
        { signal: 'metrics', receivers: [r], exporters: [e] },
      ],
    });
    expect(p.receivers).toEqual([r]);
    expect(p.exporters).toEqual([e]);
  });
});

describe('createPipeline lifecycle', () => {
  function build(journal: Journal) {
    const r = fakeReceiver('r', journal);
    const e1 = fakeExporter('e1', journal);
    const e2 = fakeExporter('e2', journal);
    return createPipeline({
      pipelines: [
        {
          signal: 'traces',
          receivers: [r],
          processors: [tagProcessor('t1', journal), tagProcessor('t2', journal)],
          exporters: [e1],
        },
        { signal: 'logs', receivers: [r], processors: [tagProcessor('l1', journal)], exporters: [e2] },
      ],
    });
  }

  it('starts exporters first, then processors back to front, then receivers', async () => {
    const journal: Journal = [];
    const p = build(journal);
    journal.length = 0;
    await p.start();
    expect(journal).toEqual(['start e1', 'start e2', 'start t2', 'start t1', 'start l1', 'start r']);
  });

  it('shuts down receivers first, then processors head first, then exporters', async () => {
    const journal: Journal = [];
    const p = build(journal);
    await p.start();
    journal.length = 0;
    await p.shutdown();
    expect(journal[0]).toBe('shutdown r');
    expect(journal.slice(-2).sort()).toEqual(['shutdown e1', 'shutdown e2']);
    const middle = journal.slice(1, -2);
    expect(middle.sort()).toEqual(['shutdown l1', 'shutdown t1', 'shutdown t2']);
    expect(journal.indexOf('shutdown t1')).toBeLessThan(journal.indexOf('shutdown t2'));
  });

  it('a shutdown during start stops starting: no receiver opens, the slow start is not waited past the deadline', async () => {
    vi.useFakeTimers();
    try {
      const journal: Journal = [];
      const r = fakeReceiver('r', journal);
      const slow = fakeExporter('slow', journal);
      slow.start = () => (journal.push('start slow'), new Promise<void>(() => {})); // connecting, forever
      const p = createPipeline({ pipelines: [{ signal: 'traces', receivers: [r], exporters: [slow] }] });
      const started = p.start().then(
        () => 'started',
        (e: Error) => e.message,
      );
      await vi.advanceTimersByTimeAsync(0);
      let stopped = false;
      const stopping = p.shutdown({ timeoutMs: 2_000 }).then(() => (stopped = true));
      await vi.advanceTimersByTimeAsync(1_999);
      expect(stopped).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await stopping;
      expect(journal).not.toContain('start r');
      expect(journal).toContain('shutdown slow');

      // The same with a start that does finish: the next component is not started.
      const j2: Journal = [];
      const r2 = fakeReceiver('r2', j2);
      let finish!: () => void;
      const e2 = fakeExporter('e2', j2);
      e2.start = () => new Promise<void>((resolve) => (finish = resolve));
      const p2 = createPipeline({ pipelines: [{ signal: 'traces', receivers: [r2], exporters: [e2] }] });
      const started2 = p2.start().then(
        () => 'started',
        (e: Error) => e.message,
      );
      await vi.advanceTimersByTimeAsync(0);
      const stopping2 = p2.shutdown();
      finish();
      await stopping2;
      expect(await started2).toMatch(/shutdown began during start/);
      expect(j2).not.toContain('start r2');
      void started;
    } finally {
      vi.useRealTimers();
    }
  });

  it('start and shutdown are idempotent', async () => {
    const journal: Journal = [];
    const p = build(journal);
    journal.length = 0;
    await Promise.all([p.start(), p.start()]);
    await p.start();
    const starts = journal.length;
    await Promise.all([p.shutdown(), p.shutdown()]);
    await p.shutdown();
    expect(starts).toBe(6);
    expect(journal.length - starts).toBe(6);
  });

  it('a failing shutdown is logged and does not stop the others', async () => {
    const journal: Journal = [];
    const errors: unknown[] = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (o) => void errors.push(o) };
    const r = fakeReceiver('r', journal);
    const e = fakeExporter('e', journal);
    const failing: ProcessorFactory = (next) => ({
      consume: (b) => next.consume(b),
      start: () => Promise.resolve(),
      shutdown: () => Promise.reject(new Error('stuck')),
    });
    const p = createPipeline({
      logger,
      pipelines: [{ signal: 'traces', receivers: [r], processors: [failing], exporters: [e] }],
    });
    await p.shutdown();
    expect(journal).toContain('shutdown r');
    expect(journal).toContain('shutdown e');
    expect(errors).toHaveLength(1);
  });
});

describe('createPipeline shutdown deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Records the time each shutdown was handed, and takes `takesMs` of it (bounded by it, as real components are). */
  function timed(name: string, seen: Map<string, number | undefined>, takesMs: number) {
    return {
      start: () => Promise.resolve(),
      shutdown(o?: ShutdownOptions) {
        seen.set(name, o?.timeoutMs);
        const ms = Math.min(takesMs, o?.timeoutMs ?? takesMs);
        return ms === 0 ? Promise.resolve() : new Promise<void>((r) => setTimeout(r, ms));
      },
    };
  }

  function build(
    seen: Map<string, number | undefined>,
    takes: Record<string, number>,
    shutdownTimeoutMs?: number,
  ) {
    const receiver: Receiver = { ...timed('r', seen, takes.r ?? 0), signals: ['traces'], connect() {} };
    const exporter: Exporter = {
      ...timed('e', seen, takes.e ?? 0),
      consume: () => Promise.resolve(permanent('x')),
    };
    const processor =
      (name: string): ProcessorFactory =>
      (next) => ({ ...timed(name, seen, takes[name] ?? 0), consume: (b) => next.consume(b) });
    return createPipeline({
      ...(shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs }),
      pipelines: [
        {
          signal: 'traces',
          receivers: [receiver],
          processors: [processor('p1'), processor('p2')],
          exporters: [exporter],
        },
      ],
    });
  }

  it('hands each component the time left of one deadline, so slow steps do not add up', async () => {
    vi.useFakeTimers();
    const seen = new Map<string, number | undefined>();
    const p = build(seen, { r: 4000, p1: 3000, p2: 2000, e: 60_000 }, 10_000);
    await p.start();
    let done = false;
    const stopping = p.shutdown().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect([...seen]).toEqual([
      ['r', 10_000],
      ['p1', 6000],
      ['p2', 3000],
      ['e', 1000],
    ]);
  });

  it('defaults to PIPELINE_SHUTDOWN_TIMEOUT_MS, 25 s', async () => {
    vi.useFakeTimers();
    const seen = new Map<string, number | undefined>();
    const p = build(seen, {});
    await p.start();
    await p.shutdown();
    expect(PIPELINE_SHUTDOWN_TIMEOUT_MS).toBe(25_000);
    expect(seen.get('r')).toBe(25_000);
  });

  it('a caller with less time left shortens the deadline; shutdown() without it still works', async () => {
    vi.useFakeTimers();
    const seen = new Map<string, number | undefined>();
    const p = build(seen, { r: 60_000 }, 10_000);
    await p.start();
    const stopping = p.shutdown({ timeoutMs: 3000 });
    expect(p.shutdown()).toBe(stopping);
    let done = false;
    void stopping.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(done).toBe(true);
    expect(seen.get('r')).toBe(3000);
    expect(seen.get('e')).toBe(0);
  });

  it('goes on without a component that ignores its time left, 5 s past it, and logs it', async () => {
    vi.useFakeTimers();
    const seen = new Map<string, number | undefined>();
    const errors: unknown[] = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (o) => void errors.push(o) };
    const receiver: Receiver = { ...timed('r', seen, 0), signals: ['traces'], connect() {} };
    const exporter: Exporter = { ...timed('e', seen, 0), consume: () => Promise.resolve(permanent('x')) };
    const stuck: ProcessorFactory = (next) => ({
      start: () => Promise.resolve(),
      shutdown: () => new Promise<void>(() => {}),
      consume: (b) => next.consume(b),
    });
    const p = createPipeline({
      logger,
      shutdownTimeoutMs: 1000,
      pipelines: [{ signal: 'traces', receivers: [receiver], processors: [stuck], exporters: [exporter] }],
    });
    await p.start();
    let done = false;
    const stopping = p.shutdown().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(5999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(seen.get('e')).toBe(0);
    expect(errors).toHaveLength(1);
  });

  it('start twice is a no-op; a start after shutdown rejects', async () => {
    const seen = new Map<string, number | undefined>();
    const p = build(seen, {});
    const first = p.start();
    expect(p.start()).toBe(first);
    await first;
    await p.shutdown();
    const q = build(seen, {});
    await q.shutdown();
    await expect(q.start()).rejects.toMatchObject({ code: 'ERR_SHUTDOWN' });
  });
});

describe('createPipeline validation', () => {
  const journal: Journal = [];
  const expectInvalid = (fn: () => unknown, pattern: RegExp) => {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('ERR_INVALID_OPTIONS');
    expect((error as PipelineError).message).toMatch(pattern);
  };

  it('needs at least one pipeline', () => {
    expectInvalid(() => createPipeline({ pipelines: [] }), /at least one pipeline/);
  });

  it('refuses duplicate pipeline names, including two unnamed ones of a signal', () => {
    const r = fakeReceiver('r', journal);
    const e = fakeExporter('e', journal);
    expectInvalid(
      () =>
        createPipeline({
          pipelines: [
            { signal: 'traces', receivers: [r], exporters: [e] },
            { signal: 'traces', receivers: [r], exporters: [e] },
          ],
        }),
      /duplicate pipeline name "traces"/,
    );
    expectInvalid(
      () =>
        createPipeline({
          pipelines: [
            { signal: 'traces', name: 'x', receivers: [r], exporters: [e] },
            { signal: 'logs', name: 'x', receivers: [r], exporters: [e] },
          ],
        }),
      /duplicate pipeline name "x"/,
    );
  });

  it('needs receivers and exporters', () => {
    const r = fakeReceiver('r', journal);
    const e = fakeExporter('e', journal);
    expectInvalid(
      () => createPipeline({ pipelines: [{ signal: 'logs', receivers: [], exporters: [e] }] }),
      /"logs" has no receivers/,
    );
    expectInvalid(
      () => createPipeline({ pipelines: [{ signal: 'logs', receivers: [r], exporters: [] }] }),
      /"logs" has no exporters/,
    );
  });

  it('refuses a receiver that does not produce the signal', () => {
    const r = fakeReceiver('r', journal, ['traces']);
    const e = fakeExporter('e', journal);
    expectInvalid(
      () => createPipeline({ pipelines: [{ signal: 'metrics', receivers: [r], exporters: [e] }] }),
      /"metrics": a receiver does not produce metrics/,
    );
  });
});
