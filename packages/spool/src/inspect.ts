import { readFile } from 'node:fs/promises';
import type { Batch } from '@otlp-kafka/pdata';
import { decodeRecord } from './internal/record-format.js';
import { paths, recover, type Damage } from './internal/segments.js';

export interface SpoolContents {
  /** The batches a spool opened on this directory would forward, oldest first. */
  readonly batches: readonly Batch[];
  /** What a start would truncate or set aside. */
  readonly damage: readonly Damage[];
}

/**
 * Reads a spool directory without changing it (no truncation, nothing set
 * aside or deleted): what is still to be forwarded. For tools and tests; do
 * not run it on a directory a spool is writing, it may see a torn tail.
 */
export async function inspectSpool(directory: string): Promise<SpoolContents> {
  const r = await recover(directory, Date.now(), true);
  const p = paths(directory);
  const batches: Batch[] = [];
  const files = new Map<number, Buffer>();
  for (const e of r.entries) {
    let buf = files.get(e.seq);
    if (!buf) files.set(e.seq, (buf = await readFile(p.segment(e.seq))));
    batches.push(decodeRecord(buf.subarray(e.offset, e.offset + e.length)));
  }
  return { batches, damage: r.damage };
}
