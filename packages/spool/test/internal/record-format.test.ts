import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { itemIds, createLoadGenerator } from '@otlp-kafka/testkit';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, recordAt } from '../../src/internal/record-format.js';
import { recover, segmentName } from '../../src/internal/segments.js';

const load = createLoadGenerator({ itemsPerRequest: 3, signals: { traces: 1, logs: 1, metrics: 1 } });

describe('record format', () => {
  it('round-trips a batch with its metadata', () => {
    const batch = load.next('logs');
    const withMeta = { ...batch, metadata: { headers: { 'x-tenant': ['a'] }, topic: 'otlp_logs' } };
    const rec = encodeRecord(withMeta);
    expect(recordAt(rec, 0)).toEqual({ kind: 'record', length: rec.length });
    const back = decodeRecord(rec);
    expect([back.signal, back.itemCount, back.metadata]).toEqual(['logs', 3, withMeta.metadata]);
    expect(Buffer.from(back.bytes).equals(Buffer.from(batch.bytes))).toBe(true);
  });

  it('tells a torn record from a corrupt one', () => {
    const rec = encodeRecord(load.next('traces'));
    expect(recordAt(rec.subarray(0, rec.length - 1), 0).kind).toBe('torn');
    expect(recordAt(rec.subarray(0, 5), 0).kind).toBe('torn');
    const flipped = Buffer.from(rec);
    flipped[rec.length - 3]! ^= 0xff;
    expect(recordAt(flipped, 0).kind).toBe('corrupt');
  });
});

async function segmentOf(records: Buffer[]): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'spool-test-'));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'segments'));
  const file = join(dir, 'segments', segmentName(1));
  await writeFile(file, Buffer.concat(records));
  return { dir, file };
}

describe('recovery', () => {
  it('a write torn at any byte keeps every record before it and truncates the rest', async () => {
    const records = [0, 1, 2].map(() => encodeRecord(load.next()));
    const whole = Buffer.concat(records);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: whole.length }), async (cut) => {
        const { dir, file } = await segmentOf([whole.subarray(0, cut)]);
        const r = await recover(dir, 0);
        let complete = 0;
        for (let end = 0, i = 0; i < records.length; i++) if ((end += records[i]!.length) <= cut) complete++;
        expect(r.entries.length).toBe(complete);
        const kept = r.entries.reduce((n, e) => n + e.length, 0);
        expect((await readFile(file)).length).toBe(kept);
        expect(r.damage.every((d) => d.kind === 'torn')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('a corrupt record in the middle is copied aside and the records after it are kept', async () => {
    const batches = [0, 1, 2, 3].map(() => load.next('traces'));
    const records = batches.map(encodeRecord);
    records[1]![20]! ^= 0x55;
    const { dir } = await segmentOf(records);
    const r = await recover(dir, 0);
    expect(r.entries.map((e) => e.offset)).toEqual([
      0,
      records[0]!.length + records[1]!.length,
      records[0]!.length + records[1]!.length + records[2]!.length,
    ]);
    expect(r.damage).toMatchObject([
      { kind: 'corrupt', offset: records[0]!.length, bytes: records[1]!.length },
    ]);
    expect(await readdir(join(dir, 'aside'))).toEqual([`${segmentName(1)}-${records[0]!.length}.corrupt`]);
    const ids = (await readFile(join(dir, 'segments', segmentName(1)))).subarray(
      r.entries[1]!.offset,
      r.entries[1]!.offset + r.entries[1]!.length,
    );
    expect(itemIds(decodeRecord(ids)).unwrap()).toEqual(itemIds(batches[2]!).unwrap());
  });

  it('any flipped byte loses at most the record it is in', async () => {
    const records = [0, 1, 2, 3, 4].map(() => encodeRecord(load.next()));
    const whole = Buffer.concat(records);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: whole.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, mask) => {
          const copy = Buffer.from(whole);
          copy[at]! ^= mask;
          const { dir } = await segmentOf([copy]);
          const r = await recover(dir, 0);
          expect(r.entries.length).toBeGreaterThanOrEqual(records.length - 1);
        },
      ),
      { numRuns: 80 },
    );
  });
});
