import type { Batch, Signal } from '@otlp-kafka/core';
import { mergeBatches, splitBatch, type PdataError } from '@otlp-kafka/pdata';
import { Err, Ok, type Result } from 'ts-results-es';

/** One record's value and how many items it holds. */
export interface Piece {
  readonly value: Buffer;
  readonly items: number;
}

export interface Fitted {
  readonly pieces: Piece[];
  /** Items dropped because each alone is larger than the limit; `reason` names the first one's size. */
  readonly rejected: { items: number; reason: string | undefined };
}

export type Encoder = (b: Batch) => Result<Buffer, PdataError>;

const ITEM: Record<Signal, string> = { traces: 'span', metrics: 'metric data point', logs: 'log record' };

/**
 * Splits a batch on the wire into pieces whose encoded value is at most
 * `limit` bytes. Items that cannot fit even alone are counted, not sent.
 */
export function fitToLimit(batch: Batch, limit: number, encode: Encoder): Result<Fitted, PdataError> {
  const pieces: Piece[] = [];
  const rejected = { items: 0, reason: undefined as string | undefined };
  const reject = (items: number, reason: string): void => {
    rejected.items += items;
    rejected.reason ??= reason;
  };
  if (batch.itemCount === 0) return Ok({ pieces, rejected });
  if (limit <= 0) {
    reject(batch.itemCount, `key and headers leave no room for data in a message`);
    return Ok({ pieces, rejected });
  }

  let parts: Batch[];
  if (batch.bytes.length <= limit) parts = [batch];
  else {
    const split = splitBatch(batch, { maxBytes: limit });
    if (split.isOk()) parts = split.value;
    else if (split.error.code === 'ERR_PDATA_TOO_LARGE') {
      const kept = isolate(batch, limit, reject);
      if (kept.isErr()) return Err(kept.error);
      parts = kept.value;
    } else return Err(split.error);
  }

  for (const part of parts) {
    const r = encodeFitting(part, limit, encode, pieces, reject);
    if (r.isErr()) return Err(r.error);
  }
  return Ok({ pieces, rejected });
}

/** One item per batch; those larger than the limit are rejected, the rest re-packed. */
function isolate(
  batch: Batch,
  limit: number,
  reject: (items: number, reason: string) => void,
): Result<Batch[], PdataError> {
  const singles = splitBatch(batch, { maxItems: 1 });
  if (singles.isErr()) return Err(singles.error);
  const kept: Batch[] = [];
  for (const s of singles.value) {
    if (s.bytes.length > limit)
      reject(
        s.itemCount,
        `a ${ITEM[s.signal]} of ${s.bytes.length} bytes exceeds the message limit of ${limit} bytes`,
      );
    else kept.push(s);
  }
  if (kept.length === 0) return Ok([]);
  const merged = mergeBatches(kept, batch.metadata);
  if (merged.isErr()) return Err(merged.error);
  if (merged.value.bytes.length <= limit) return Ok([merged.value]);
  return splitBatch(merged.value, { maxBytes: limit });
}

/**
 * Encodes a part that fits as protobuf. The JSON form is larger: a part whose
 * JSON overflows is split again by item count in proportion, until it fits or
 * is a single item (rejected, naming its JSON size).
 */
function encodeFitting(
  part: Batch,
  limit: number,
  encode: Encoder,
  out: Piece[],
  reject: (items: number, reason: string) => void,
): Result<void, PdataError> {
  if (part.itemCount === 0) return Ok(undefined);
  const value = encode(part);
  if (value.isErr()) return Err(value.error);
  if (value.value.length <= limit) {
    out.push({ value: value.value, items: part.itemCount });
    return Ok(undefined);
  }
  if (part.itemCount === 1) {
    reject(
      1,
      `a ${ITEM[part.signal]} of ${value.value.length} bytes (encoded) exceeds the message limit of ${limit} bytes`,
    );
    return Ok(undefined);
  }
  const pieces = Math.max(2, Math.ceil((value.value.length / limit) * 1.1));
  const smaller = splitBatch(part, { maxItems: Math.max(1, Math.floor(part.itemCount / pieces)) });
  if (smaller.isErr()) return Err(smaller.error);
  for (const s of smaller.value) {
    const r = encodeFitting(s, limit, encode, out, reject);
    if (r.isErr()) return r;
  }
  return Ok(undefined);
}
