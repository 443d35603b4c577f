import type { FileHandle } from 'node:fs/promises';
import {
  backpressure,
  createLifecycle,
  getLogger,
  getMeter,
  invalidOptions,
  ok,
  PipelineError,
  permanent,
  retryable,
  type Component,
  type Consumer,
  type Outcome,
  type ShutdownOptions,
} from '@otlp-kafka/core';
import type { Batch } from '@otlp-kafka/pdata';
import { Forwarder } from './internal/forwarder.js';
import { encodeRecord } from './internal/record-format.js';
import { createSegment, recover, type Damage, type Entry } from './internal/segments.js';
import { DEFAULTS, type SpoolOptions } from './options.js';

/** What the spool holds now. */
export interface SpoolStats {
  /** Bytes on disk not yet forwarded (including appends being synced). */
  readonly bytes: number;
  /** Records (batches) not yet forwarded. */
  readonly records: number;
  readonly items: number;
  /** Age of the oldest record not yet forwarded (since it was appended, or since the spool opened for recovered ones); 0 when empty. */
  readonly oldestAgeMs: number;
  /** fdatasync calls since start: appends per sync is the group commit at work. */
  readonly syncs: number;
  /** Appends acknowledged since start. */
  readonly appends: number;
  /** What recovery found at start: torn tails truncated, corrupt ranges copied aside. */
  readonly damage: readonly Damage[];
}

/**
 * A disk-backed queue in front of a consumer. `consume()` answers ok once the
 * batch is durably on disk (written and fdatasync'ed; appends that arrive
 * while a sync runs share the next one); the spool then forwards to `next` in
 * order and deletes a segment only after `next` acknowledged every record in
 * it. Full: backpressure with Retry-After, never a drop.
 */
export interface Spool extends Consumer, Component {
  readonly stats: SpoolStats;
}

interface Pending {
  readonly buf: Buffer;
  readonly items: number;
  readonly resolve: (o: Outcome) => void;
}

export function createSpool(next: Consumer, options: SpoolOptions): Spool {
  const name = options.name ?? DEFAULTS.name;
  const component = `spool ${name}`;
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const maxRecords = options.maxRecords ?? DEFAULTS.maxRecords;
  const maxItems = options.maxItems ?? DEFAULTS.maxItems;
  const segmentBytes = options.segmentBytes ?? DEFAULTS.segmentBytes;
  const maxInFlight = options.maxInFlight ?? DEFAULTS.maxInFlight;
  const fullRetryAfterMs = options.fullRetryAfterMs ?? DEFAULTS.fullRetryAfterMs;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs;
  const retry = { ...DEFAULTS.retry, ...options.retry };
  if (typeof options.directory !== 'string' || options.directory === '')
    throw invalidOptions(component, 'directory is required (a path)');
  for (const [key, v] of Object.entries({
    maxBytes,
    segmentBytes,
    maxInFlight,
    fullRetryAfterMs,
    shutdownTimeoutMs,
  }))
    if (!Number.isSafeInteger(v) || v < (key === 'fullRetryAfterMs' || key === 'shutdownTimeoutMs' ? 0 : 1))
      throw invalidOptions(component, `${key} must be a positive integer, got ${String(v)}`);
  const directory = options.directory;
  const logger = getLogger(options, 'spool');
  const lifecycle = createLifecycle(component, { shutdownTimeoutMs });
  let bytes = 0;
  let records = 0;
  let items = 0;
  let damage: Damage[] = [];
  let syncs = 0;
  /** Appends accepted but not yet synced (counted against maxRecords / maxItems). */
  let reserved = 0;
  let reservedItems = 0;
  let appends = 0;
  const forwarder = new Forwarder(directory, next, maxInFlight, retry, logger, component, {
    released(e: Entry) {
      bytes -= e.length;
      records--;
      items -= e.items;
    },
    forwarded: (n) => forwardedCounter.add(n, attrs),
    rejected: (n) => rejectedCounter.add(n, attrs),
  });

  let handle: FileHandle | undefined;
  let pending: Pending[] = [];
  let flushing: Promise<void> | undefined;

  const meter = getMeter(options, 'spool');
  const attrs = { spool: name };
  const forwardedCounter = meter.createCounter('otelcol_spool_forwarded_items', {
    description: 'Items forwarded from the spool and acknowledged downstream.',
  });
  const rejectedCounter = meter.createCounter('otelcol_spool_rejected_items', {
    description: 'Items the downstream refused for good (copied aside) or that could not be read back.',
  });
  meter
    .createObservableGauge('otelcol_spool_bytes', {
      description: 'Bytes spooled, not yet forwarded.',
      unit: 'By',
    })
    .addCallback((r) => r.observe(bytes, attrs));
  meter
    .createObservableGauge('otelcol_spool_records', { description: 'Batches spooled, not yet forwarded.' })
    .addCallback((r) => r.observe(records, attrs));
  meter
    .createObservableGauge('otelcol_spool_oldest_age_seconds', {
      description: 'Age of the oldest spooled batch.',
      unit: 's',
    })
    .addCallback((r) => r.observe(oldestAgeMs() / 1000, attrs));

  function oldestAgeMs(): number {
    const o = forwarder.oldest();
    return o ? Math.max(0, Date.now() - o.since) : 0;
  }

  async function roll(): Promise<void> {
    await handle?.close();
    const seq = forwarder.activeSeq + 1;
    handle = await createSegment(directory, seq);
    forwarder.activeSeq = seq;
    forwarder.activeSize = 0;
    forwarder.addSegment(seq);
  }

  /** Writes everything pending with one write and one sync; loops while appends keep arriving. */
  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const group = pending;
      pending = [];
      // Counted as reserved until synced: then as records, or released on failure.
      const unreserve = (): void => {
        for (const p of group) {
          reserved--;
          reservedItems -= p.items;
        }
      };
      try {
        if (forwarder.activeSize >= segmentBytes) await roll();
        const data = group.length === 1 ? group[0]!.buf : Buffer.concat(group.map((p) => p.buf));
        let written = 0;
        while (written < data.length)
          written += (
            await handle!.write(data, written, data.length - written, forwarder.activeSize + written)
          ).bytesWritten;
        await handle!.datasync();
        syncs++;
      } catch (e) {
        unreserve();
        for (const p of group) {
          bytes -= p.buf.length;
          p.resolve(
            retryable(
              new PipelineError(
                'ERR_SPOOL_WRITE',
                `${component}: cannot write to ${directory}: ${(e as Error).message}`,
                { cause: e },
              ),
            ),
          );
        }
        logger.error({ err: e }, `${component}: write failed`);
        // A partial write may have left bytes past activeSize: the next write goes over them.
        continue;
      }
      unreserve();
      const now = Date.now();
      let offset = forwarder.activeSize;
      for (const p of group) {
        records++;
        items += p.items;
        forwarder.push({
          seq: forwarder.activeSeq,
          offset,
          length: p.buf.length,
          items: p.items,
          since: now,
          acked: false,
        });
        offset += p.buf.length;
        appends++;
        p.resolve(ok());
      }
      forwarder.activeSize = offset;
    }
    flushing = undefined;
  }

  return {
    get stats(): SpoolStats {
      return { bytes, records, items, oldestAgeMs: oldestAgeMs(), syncs, appends, damage };
    },
    start: () =>
      lifecycle.start(async () => {
        const r = await recover(directory, Date.now());
        damage = r.damage;
        for (const d of r.damage)
          logger.warn(
            { ...d },
            `${component}: recovery found a ${d.kind} range of ${d.bytes} bytes in ${d.segment} at ${d.offset}${d.kind === 'torn' ? ' (truncated: a write never acknowledged)' : ' (copied aside; the records after it are kept)'}`,
          );
        for (const seq of r.segments) forwarder.addSegment(seq);
        for (const e of r.entries) {
          bytes += e.length;
          records++;
          items += e.items;
          forwarder.queue.push(e);
        }
        forwarder.activeSeq = r.nextSeq - 1;
        await roll();
        if (records > 0)
          logger.info(
            { records, bytes },
            `${component}: forwarding ${records} batches spooled before the restart`,
          );
        forwarder.start();
      }),
    consume(batch: Batch): Promise<Outcome> {
      const refused = lifecycle.refusal();
      if (refused) return Promise.resolve(refused);
      const buf = encodeRecord(batch);
      if (buf.length > maxBytes)
        return Promise.resolve(
          permanent(`${component}: a batch of ${buf.length} bytes can never fit maxBytes ${maxBytes}`),
        );
      const full =
        bytes + buf.length > maxBytes
          ? `${bytes} of ${maxBytes} bytes`
          : maxRecords > 0 && records + reserved >= maxRecords
            ? `${records + reserved} of ${maxRecords} batches`
            : maxItems > 0 && items + reservedItems + batch.itemCount > maxItems
              ? `${items + reservedItems} of ${maxItems} items`
              : undefined;
      if (full)
        return Promise.resolve(
          backpressure(
            new PipelineError('ERR_BACKPRESSURE', `${component}: full (${full} not yet forwarded)`),
            fullRetryAfterMs,
          ),
        );
      reserved++;
      reservedItems += batch.itemCount;
      bytes += buf.length;
      return new Promise<Outcome>((resolve) => {
        pending.push({ buf, items: batch.itemCount, resolve });
        flushing ??= flush();
      });
    },
    shutdown: (o?: ShutdownOptions) =>
      lifecycle.shutdown(async ({ deadline, started }) => {
        if (!started) return;
        // Appends already accepted finish their sync first: their callers wait for that answer.
        while (flushing) await flushing;
        await forwarder.stop(Math.max(0, Math.round(deadline.remainingMs())));
        await handle?.close();
        if (records > 0)
          logger.info(
            { records, bytes },
            `${component}: stopped with ${records} batches kept on disk for the next start`,
          );
      }, o),
  };
}
