import { Err, Ok, type Result } from 'ts-results-es';
import type { PdataError } from './errors.js';
import { countItems } from './ops/count.js';
import { validateRequest } from './ops/validate.js';
import type { Signal } from './signal.js';

/** What travels beside the bytes: request headers, a topic override, who sent it. */
export interface BatchMetadata {
  /** Request headers (lower-case names), kept when a receiver is told to include metadata. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  /** A Kafka topic that overrides the exporter's topic for this batch. */
  readonly topic?: string;
  readonly client?: { readonly address?: string; readonly transport?: string };
  /** Where the batch was read from Kafka (set by the Kafka consumer receiver). */
  readonly kafka?: {
    /** The topic read. */
    readonly topic: string;
    /** The partition read. */
    readonly partition: number;
    /** Offset of the first record (a batch decoded from one record: equal to lastOffset). */
    readonly firstOffset: number;
    /** Offset of the last record. */
    readonly lastOffset: number;
    /** The record key's bytes exactly as stored (a string key: decode as UTF-8); absent without a key. */
    readonly key?: Uint8Array;
    /** The record's timestamp (create or log-append time), ms since the epoch; absent when it has none. */
    readonly timestampMs?: number;
    /** The record's headers in order, names as sent (not lower-cased), values as the Kafka client gave them. */
    readonly headers?: readonly { readonly key: string; readonly value: Uint8Array | string }[];
  };
}

/**
 * One OTLP request of one signal. Its canonical form is the encoded
 * Export{Trace,Metrics,Logs}ServiceRequest: it arrives and leaves as bytes.
 * Immutable: operations return new batches.
 */
export interface Batch {
  readonly signal: Signal;
  readonly bytes: Uint8Array;
  /** Spans, data points or log records. */
  readonly itemCount: number;
  readonly metadata: BatchMetadata;
}

const EMPTY_METADATA: BatchMetadata = Object.freeze({});

export interface CreateBatchOptions {
  /**
   * Also check inside the items: every known field of every message, as
   * `validateRequest` does (about a count's cost again, still no decoding).
   * Default false: the structure is checked down to the items only.
   */
  readonly deep?: boolean;
}

/** Checks the request's structure down to the items (deeper with `deep`), counts them, and wraps the bytes. */
export function createBatch(
  signal: Signal,
  bytes: Uint8Array,
  metadata: BatchMetadata = EMPTY_METADATA,
  options?: CreateBatchOptions,
): Result<Batch, PdataError> {
  if (options?.deep) {
    const valid = validateRequest(signal, bytes);
    if (valid.isErr()) return Err(valid.error);
  }
  const count = countItems(signal, bytes);
  if (count.isErr()) return Err(count.error);
  return Ok(trustedBatch(signal, bytes, count.value, metadata));
}

/** For bytes this package produced itself and already counted. */
export function trustedBatch(
  signal: Signal,
  bytes: Uint8Array,
  itemCount: number,
  metadata: BatchMetadata = EMPTY_METADATA,
): Batch {
  return Object.freeze({ signal, bytes, itemCount, metadata });
}

/** The same data with other metadata. */
export function withMetadata(batch: Batch, metadata: BatchMetadata): Batch {
  return trustedBatch(batch.signal, batch.bytes, batch.itemCount, metadata);
}
