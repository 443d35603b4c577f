import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  truncate,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { recordAt } from './record-format.js';

/** A record's place on disk, with what the metrics need. */
export interface Entry {
  readonly seq: number;
  readonly offset: number;
  readonly length: number;
  readonly items: number;
  readonly since: number;
  acked: boolean;
}

/** Something recovery set aside or cut off, to report. */
export interface Damage {
  readonly kind: 'corrupt' | 'torn';
  readonly segment: string;
  readonly offset: number;
  readonly bytes: number;
  /** Where the damaged bytes were copied (corrupt ranges), if anywhere. */
  readonly asidePath?: string;
}

export interface Recovered {
  readonly entries: Entry[];
  readonly damage: Damage[];
  /** The segment files kept (their records may all be forwarded already). */
  readonly segments: number[];
  /** The next segment number to write. */
  readonly nextSeq: number;
}

export const segmentName = (seq: number): string => `${String(seq).padStart(16, '0')}.seg`;
const SEGMENT = /^(\d{16})\.seg$/;

export function paths(directory: string) {
  return {
    segments: join(directory, 'segments'),
    aside: join(directory, 'aside'),
    ack: join(directory, 'ack'),
    segment: (seq: number) => join(directory, 'segments', segmentName(seq)),
  };
}

/** The first unacknowledged position, as the checkpoint file holds it. */
export interface Checkpoint {
  readonly seq: number;
  readonly offset: number;
}

export async function readCheckpoint(file: string): Promise<Checkpoint | undefined> {
  try {
    const c = JSON.parse(await readFile(file, 'utf8')) as Checkpoint;
    return Number.isSafeInteger(c.seq) && Number.isSafeInteger(c.offset) ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Written to a temporary file and renamed over the checkpoint, so a process
 * killed mid-write leaves the old checkpoint or the new one, never a torn one
 * (which would replay the whole spool). No fsync: it survives a killed
 * process; after a machine crash it may be older, which only repeats records.
 */
export async function writeCheckpoint(file: string, c: Checkpoint): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(c));
  await rename(`${file}.tmp`, file);
}

/**
 * Opens the spool directory: deletes segments the checkpoint says were
 * forwarded, scans every other record's length and checksum, truncates a torn
 * tail, copies corrupt ranges aside (never blocking what follows them), and
 * returns the records still to forward in order.
 */
export async function recover(directory: string, now: number, readOnly = false): Promise<Recovered> {
  const p = paths(directory);
  if (!readOnly) await mkdir(p.segments, { recursive: true });
  const seqs = (
    await readdir(p.segments).catch((e: NodeJS.ErrnoException) => {
      if (readOnly && e.code === 'ENOENT') return [] as string[];
      throw e;
    })
  )
    .map((f) => SEGMENT.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const checkpoint = await readCheckpoint(p.ack);
  const entries: Entry[] = [];
  const damage: Damage[] = [];
  const kept: number[] = [];
  for (const [i, seq] of seqs.entries()) {
    if (checkpoint && seq < checkpoint.seq) {
      if (!readOnly) await rm(p.segment(seq), { force: true });
      continue;
    }
    kept.push(seq);
    const buf = await readFile(p.segment(seq));
    const last = i === seqs.length - 1;
    let pos = checkpoint?.seq === seq ? Math.min(checkpoint.offset, buf.length) : 0;
    while (pos < buf.length) {
      const at = recordAt(buf, pos);
      if (at.kind === 'record') {
        entries.push({
          seq,
          offset: pos,
          length: at.length,
          items: buf.readUInt32LE(pos + 9),
          since: now,
          acked: false,
        });
        pos += at.length;
        continue;
      }
      const resume = nextRecord(buf, pos + 1);
      if (resume < 0 && at.kind === 'torn' && last) {
        // A write the process did not finish: nothing after it was acknowledged.
        if (!readOnly) await truncate(p.segment(seq), pos);
        damage.push({ kind: 'torn', segment: segmentName(seq), offset: pos, bytes: buf.length - pos });
        break;
      }
      const end = resume < 0 ? buf.length : resume;
      const asidePath = readOnly ? undefined : await setAside(p.aside, seq, pos, buf.subarray(pos, end));
      damage.push({ kind: 'corrupt', segment: segmentName(seq), offset: pos, bytes: end - pos, asidePath });
      pos = end;
    }
  }
  return { entries, damage, segments: kept, nextSeq: (seqs.at(-1) ?? 0) + 1 };
}

/** The first position at or after `from` holding an intact record, or -1. */
function nextRecord(buf: Buffer, from: number): number {
  for (let p = from; p < buf.length; p++) if (recordAt(buf, p).kind === 'record') return p;
  return -1;
}

async function setAside(dir: string, seq: number, offset: number, bytes: Uint8Array): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${segmentName(seq)}-${offset}.corrupt`);
  await writeFile(file, bytes);
  return file;
}

/** Copies a record the downstream refused for good aside, so nothing acknowledged disappears unrecorded. */
export async function setRejectedAside(directory: string, entry: Entry, bytes: Uint8Array): Promise<string> {
  const dir = paths(directory).aside;
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${segmentName(entry.seq)}-${entry.offset}.rejected`);
  await writeFile(file, bytes);
  return file;
}

/** Creates a segment file and makes its directory entry durable. */
export async function createSegment(directory: string, seq: number): Promise<FileHandle> {
  const p = paths(directory);
  const handle = await open(p.segment(seq), 'wx');
  await syncDirectory(p.segments);
  return handle;
}

async function syncDirectory(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
