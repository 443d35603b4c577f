import { appendFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, outcomeKind, permanent, retryAfterMs, type Outcome } from '@otlp-kafka/core';
import { createLoadGenerator, createMemorySink, itemIds } from '@otlp-kafka/testkit';
import { describe, expect, it } from 'vitest';
import { createSpool } from '../src/index.js';
import { segmentName } from '../src/internal/segments.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'spool-'));
const fastRetry = { initialIntervalMs: 5, maxIntervalMs: 20 };

/** Waits for a real condition, polling; fails with `what` after 10 s. */
async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const idsOf = (batches: readonly { bytes: Uint8Array }[]) =>
  batches.flatMap((b) => itemIds(b as Parameters<typeof itemIds>[0]).unwrap());

describe('spool', () => {
  it('acknowledges once on disk and forwards everything in order', async () => {
    const dir = await tempDir();
    const sink = createMemorySink();
    await sink.start();
    const spool = createSpool(sink, { directory: dir, segmentBytes: 4096 });
    await spool.start();
    const load = createLoadGenerator({ itemsPerRequest: 5 });
    const batches = Array.from({ length: 40 }, () => load.next('traces'));
    const outcomes = await Promise.all(batches.map((b) => spool.consume(b)));
    expect(outcomes.map(outcomeKind).every((k) => k === 'ok')).toBe(true);
    await until('all forwarded', () => sink.items === 200 && spool.stats.records === 0);
    expect(idsOf(sink.batches).sort()).toEqual(idsOf(batches).sort());
    expect(spool.stats).toMatchObject({ bytes: 0, records: 0, items: 0 });
    await spool.shutdown();
    // Segments of 4 KiB rolled many times; all but the one being written are gone.
    expect((await readdir(join(dir, 'segments'))).length).toBeLessThanOrEqual(2);
  });

  it('absorbs while the downstream refuses, then drains; refuses with backpressure when full', async () => {
    const dir = await tempDir();
    const sink = createMemorySink({ behaviour: 'retryable' });
    await sink.start();
    const record = createLoadGenerator({ itemsPerRequest: 5 }).next('traces');
    const spool = createSpool(sink, {
      directory: dir,
      maxBytes: 20 * (record.bytes.length + 64),
      retry: fastRetry,
      fullRetryAfterMs: 700,
    });
    await spool.start();
    const load = createLoadGenerator({ itemsPerRequest: 5 });
    let accepted = 0;
    let full: Outcome | undefined;
    for (let i = 0; i < 40 && !full; i++) {
      const o = await spool.consume(load.next('traces'));
      if (outcomeKind(o) === 'ok') accepted++;
      else full = o;
    }
    expect(accepted).toBeGreaterThan(10);
    expect([outcomeKind(full!), retryAfterMs(full!)]).toEqual(['backpressure', 700]);
    await until('some retries', () => sink.callsMade >= 3);
    expect(sink.items).toBe(0);
    sink.setBehaviour('ok');
    await until('drained', () => spool.stats.records === 0);
    expect(sink.items).toBe(accepted * 5);
    await spool.shutdown();
  });

  it('keeps what was not forwarded across a restart, without repeating what was', async () => {
    const dir = await tempDir();
    const sink = createMemorySink();
    await sink.start();
    const load = createLoadGenerator({ itemsPerRequest: 2 });
    const first = Array.from({ length: 5 }, () => load.next('logs'));
    const spool1 = createSpool(sink, { directory: dir, retry: fastRetry });
    await spool1.start();
    for (const b of first) await spool1.consume(b);
    await until('first forwarded', () => sink.items === 10);
    sink.setBehaviour('retryable');
    const second = Array.from({ length: 5 }, () => load.next('logs'));
    for (const b of second) expect(outcomeKind(await spool1.consume(b))).toBe('ok');
    await spool1.shutdown();
    expect(sink.items).toBe(10);

    const sink2 = createMemorySink();
    await sink2.start();
    const spool2 = createSpool(sink2, { directory: dir });
    await spool2.start();
    await until('second forwarded after restart', () => sink2.items === 10);
    expect(idsOf(sink2.batches).sort()).toEqual(idsOf(second).sort());
    await spool2.shutdown();
  });

  it('a torn tail from a crash is truncated at start and the intact records are forwarded', async () => {
    const dir = await tempDir();
    const sink = createMemorySink({ behaviour: 'retryable' });
    await sink.start();
    const spool1 = createSpool(sink, { directory: dir, retry: fastRetry });
    await spool1.start();
    const load = createLoadGenerator({ itemsPerRequest: 3 });
    const batches = Array.from({ length: 3 }, () => load.next('traces'));
    for (const b of batches) await spool1.consume(b);
    await spool1.shutdown();
    const segs = (await readdir(join(dir, 'segments'))).sort();
    await appendFile(join(dir, 'segments', segs.at(-1)!), Buffer.from([200, 0, 0, 0, 1, 2]));
    const sink2 = createMemorySink();
    await sink2.start();
    const spool2 = createSpool(sink2, { directory: dir });
    await spool2.start();
    expect(spool2.stats.damage).toMatchObject([{ kind: 'torn', bytes: 6 }]);
    await until('forwarded', () => sink2.items === 9);
    await spool2.shutdown();
  });

  it('a batch refused for good is copied aside and counted, and does not block the next', async () => {
    const dir = await tempDir();
    let calls = 0;
    const next = {
      consume: async (): Promise<Outcome> => (++calls === 1 ? permanent('poison') : ok()),
    };
    const spool = createSpool(next, { directory: dir });
    await spool.start();
    const load = createLoadGenerator({ itemsPerRequest: 1 });
    await spool.consume(load.next('traces'));
    await spool.consume(load.next('traces'));
    await until('both released', () => spool.stats.records === 0);
    expect(calls).toBe(2);
    expect((await readdir(join(dir, 'aside'))).filter((f) => f.endsWith('.rejected'))).toEqual([
      `${segmentName(1)}-0.rejected`,
    ]);
    await spool.shutdown();
  });

  it('refuses bad options and answers before start / after shutdown', async () => {
    expect(() => createSpool(createMemorySink(), { directory: '' })).toThrow(/directory is required/);
    expect(() => createSpool(createMemorySink(), { directory: '/tmp/x', maxBytes: 0 })).toThrow(
      /maxBytes must be a positive integer/,
    );
    const spool = createSpool(createMemorySink(), { directory: await tempDir() });
    const batch = createLoadGenerator().next('traces');
    expect(outcomeKind(await spool.consume(batch))).toBe('retryable');
    await spool.start();
    await spool.shutdown();
    expect(outcomeKind(await spool.consume(batch))).toBe('retryable');
  });
});

describe('spool limits', () => {
  it('maxRecords and maxItems refuse with backpressure, counting appends not yet synced', async () => {
    const sink = createMemorySink({ behaviour: 'retryable' });
    await sink.start();
    const spool = createSpool(sink, { directory: await tempDir(), maxRecords: 3, retry: fastRetry });
    await spool.start();
    const load = createLoadGenerator({ itemsPerRequest: 2 });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => spool.consume(load.next('traces'))));
    expect(outcomes.map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'backpressure', 'backpressure']);
    await spool.shutdown();
    const items = createSpool(sink, { directory: await tempDir(), maxItems: 5, retry: fastRetry });
    await items.start();
    const more = await Promise.all(Array.from({ length: 3 }, () => items.consume(load.next('traces'))));
    expect(more.map(outcomeKind)).toEqual(['ok', 'ok', 'backpressure']);
    await items.shutdown();
  });
});

describe('inspectSpool', () => {
  it('lists what a start would forward, changing nothing', async () => {
    const { inspectSpool } = await import('../src/index.js');
    const dir = await tempDir();
    const sink = createMemorySink({ behaviour: 'retryable' });
    await sink.start();
    const spool = createSpool(sink, { directory: dir, retry: fastRetry });
    await spool.start();
    const load = createLoadGenerator({ itemsPerRequest: 2 });
    const batches = [load.next('traces'), load.next('logs')];
    for (const b of batches) await spool.consume(b);
    await spool.shutdown();
    const before = await readdir(join(dir, 'segments'));
    const seen = await inspectSpool(dir);
    expect(idsOf(seen.batches)).toEqual(idsOf(batches));
    expect(seen.batches.map((b) => b.signal)).toEqual(['traces', 'logs']);
    expect(await readdir(join(dir, 'segments'))).toEqual(before);
    expect((await inspectSpool(join(dir, 'absent'))).batches).toEqual([]);
  });
});
