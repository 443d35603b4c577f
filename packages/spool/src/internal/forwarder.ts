import type { FileHandle } from 'node:fs/promises';
import { open, rm } from 'node:fs/promises';
import {
  createBackoff,
  outcomeKind,
  refusalOf,
  retryAfterMs,
  safeConsume,
  type Backoff,
  type BackoffPolicy,
  type Consumer,
  type Logger,
} from '@otlp-kafka/core';
import { decodeRecord } from './record-format.js';
import { paths, setRejectedAside, writeCheckpoint, type Checkpoint, type Entry } from './segments.js';

export interface ForwarderHooks {
  /** Called when records leave the spool (acknowledged downstream, or refused for good and set aside). */
  released(entry: Entry): void;
  forwarded(items: number): void;
  rejected(items: number): void;
}

/**
 * Sends spooled records to the next consumer, oldest first, up to
 * `maxInFlight` at once. A refusal pauses the whole forwarder for a backoff
 * (the downstream is away: hammering it helps nobody) and the record is sent
 * again; a permanent refusal copies the record aside, logs and counts it.
 * Segments are deleted once every record in them is released, and a
 * checkpoint of the first unreleased record is kept so a restart repeats
 * only records that were in flight.
 */
export class Forwarder {
  readonly queue: Entry[] = [];
  private head = 0;
  private dispatch = 0;
  private readonly retries: Entry[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private pauseTimer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly backoff: Backoff;
  private readonly readers = new Map<number, Promise<FileHandle>>();
  private readonly onDisk = new Set<number>();
  private absorbingSince: number | undefined;
  private checkpointing: Promise<void> | undefined;
  private checkpointDirty = false;
  private idleWaiters: (() => void)[] = [];
  activeSeq = 0;
  activeSize = 0;

  constructor(
    private readonly directory: string,
    private readonly next: Consumer,
    private readonly maxInFlight: number,
    retry: BackoffPolicy,
    private readonly logger: Logger,
    private readonly name: string,
    private readonly hooks: ForwarderHooks,
  ) {
    this.backoff = createBackoff(retry);
  }

  /** Records waiting or in flight. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  oldest(): Entry | undefined {
    return this.queue[this.head];
  }

  addSegment(seq: number): void {
    this.onDisk.add(seq);
  }

  push(entry: Entry): void {
    this.queue.push(entry);
    this.pump();
  }

  start(): void {
    this.running = true;
    this.collectSegments();
    this.pump();
  }

  /** Stops sending; resolves when nothing is in flight (or the timeout passed), with the checkpoint written. */
  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    clearTimeout(this.pauseTimer);
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => this.idleWaiters.push(r)),
        new Promise<void>((r) => (timer = setTimeout(r, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    this.checkpoint();
    await this.checkpointing;
    for (const h of this.readers.values()) await (await h.catch(() => undefined))?.close();
    this.readers.clear();
  }

  private pump(): void {
    while (this.running && this.inFlight < this.maxInFlight) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) {
        if (!this.pauseTimer)
          this.pauseTimer = setTimeout(() => ((this.pauseTimer = undefined), this.pump()), wait);
        return;
      }
      const entry =
        this.retries.shift() ?? (this.dispatch < this.queue.length ? this.queue[this.dispatch++] : undefined);
      if (!entry) return;
      this.inFlight++;
      void this.send(entry).finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
        this.pump();
      });
    }
  }

  private async send(entry: Entry): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await this.read(entry);
    } catch (e) {
      // The segment is unreadable (deleted by hand, disk error): report it, never block the rest.
      this.logger.error(
        { err: e, segment: entry.seq, offset: entry.offset },
        `${this.name}: cannot read a spooled record; skipped`,
      );
      this.hooks.rejected(entry.items);
      return this.release(entry);
    }
    const outcome = await safeConsume(this.next, decodeRecord(bytes));
    const kind = outcomeKind(outcome);
    if (kind === 'ok' || kind === 'partial') {
      this.backoff.reset();
      this.hooks.forwarded(entry.items);
      return this.release(entry);
    }
    const refusal = refusalOf(outcome);
    if (kind === 'permanent') {
      const file = await setRejectedAside(this.directory, entry, bytes).catch(() => undefined);
      this.logger.error(
        { code: refusal?.code, items: entry.items, file },
        `${this.name}: downstream refused a spooled batch for good (${refusal?.message ?? 'no reason'}); copied aside`,
      );
      this.hooks.rejected(entry.items);
      return this.release(entry);
    }
    if (this.absorbingSince === undefined) {
      this.absorbingSince = Date.now();
      this.logger.warn(
        { code: refusal?.code, pending: this.pending },
        `${this.name}: downstream unavailable (${refusal?.message ?? kind}); absorbing into the spool`,
      );
    }
    this.pausedUntil = Date.now() + this.backoff.next(retryAfterMs(outcome));
    this.retries.unshift(entry);
  }

  private read(entry: Entry): Promise<Buffer> {
    let h = this.readers.get(entry.seq);
    if (!h) {
      h = open(paths(this.directory).segment(entry.seq), 'r');
      this.readers.set(entry.seq, h);
    }
    return h.then(async (fh) => {
      const buf = Buffer.allocUnsafe(entry.length);
      const { bytesRead } = await fh.read(buf, 0, entry.length, entry.offset);
      if (bytesRead !== entry.length) throw new Error(`short read: ${bytesRead} of ${entry.length} bytes`);
      return buf;
    });
  }

  private release(entry: Entry): void {
    entry.acked = true;
    const q = this.queue;
    while (this.head < q.length && q[this.head]!.acked) this.hooks.released(q[this.head++]!);
    if (this.head > 1024 && this.head * 2 > q.length) {
      q.splice(0, this.head);
      this.dispatch -= this.head;
      this.head = 0;
    }
    this.collectSegments();
    if (this.pending === 0 && this.absorbingSince !== undefined) {
      this.logger.info(
        { absorbedMs: Date.now() - this.absorbingSince },
        `${this.name}: downstream back; the spool is drained`,
      );
      this.absorbingSince = undefined;
    }
    this.checkpoint();
  }

  /** Deletes the segments before the first record still to forward (never the one being written). */
  private collectSegments(): void {
    const firstSeq = this.oldest()?.seq ?? this.activeSeq;
    for (const seq of [...this.onDisk]) if (seq < firstSeq) void this.deleteSegment(seq);
  }

  private async deleteSegment(seq: number): Promise<void> {
    this.onDisk.delete(seq);
    const h = this.readers.get(seq);
    this.readers.delete(seq);
    await (await h?.catch(() => undefined))?.close();
    await rm(paths(this.directory).segment(seq), { force: true });
  }

  /** Writes where forwarding resumes: one write at a time, each with the latest position. */
  private checkpoint(): void {
    this.checkpointDirty = true;
    this.checkpointing ??= this.writeCheckpoints();
  }

  private async writeCheckpoints(): Promise<void> {
    while (this.checkpointDirty) {
      this.checkpointDirty = false;
      const first = this.oldest();
      const c: Checkpoint = first
        ? { seq: first.seq, offset: first.offset }
        : { seq: this.activeSeq, offset: this.activeSize };
      await writeCheckpoint(paths(this.directory).ack, c).catch((e: unknown) =>
        this.logger.warn({ err: e }, `${this.name}: cannot write the checkpoint`),
      );
    }
    this.checkpointing = undefined;
  }
}
