import { crc32 } from 'node:zlib';
import { SIGNALS, trustedBatch, type Batch, type BatchMetadata, type Signal } from '@otlp-kafka/pdata';

/**
 * One spooled batch on disk:
 *
 *   offset 0  u32 LE  body length n
 *   offset 4  u32 LE  CRC-32 of the body
 *   offset 8  body:   u8 signal (index in SIGNALS), u32 LE item count,
 *                     u32 LE metadata length m, m bytes of metadata JSON, then the OTLP request bytes
 *
 * The length and checksum come first so a reader can tell a complete record
 * from a torn one (length past the end of the file) and an intact one from a
 * corrupt one (checksum mismatch) before it trusts anything else.
 */
export const HEADER_BYTES = 8;
const BODY_FIXED = 9;
/** Far above any batch we write; a larger length field is corruption, not data. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

export function encodeRecord(batch: Batch): Buffer {
  const meta = metadataJson(batch.metadata);
  const n = BODY_FIXED + meta.length + batch.bytes.length;
  const out = Buffer.allocUnsafe(HEADER_BYTES + n);
  out.writeUInt32LE(n, 0);
  out.writeUInt8(SIGNALS.indexOf(batch.signal), 8);
  out.writeUInt32LE(batch.itemCount, 9);
  out.writeUInt32LE(meta.length, 13);
  meta.copy(out, 17);
  out.set(batch.bytes, 17 + meta.length);
  out.writeUInt32LE(crc32(out.subarray(HEADER_BYTES)), 4);
  return out;
}

/** What a position in a segment holds. */
export type RecordAt =
  | { readonly kind: 'record'; readonly length: number }
  | { readonly kind: 'torn' }
  | { readonly kind: 'corrupt' };

/** Checks the record starting at `pos` of `buf` (`buf` ends where the file ends). */
export function recordAt(buf: Uint8Array, pos: number): RecordAt {
  if (buf.length - pos < HEADER_BYTES) return { kind: 'torn' };
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = view.readUInt32LE(pos);
  if (n < BODY_FIXED || n > MAX_BODY_BYTES) return { kind: 'corrupt' };
  if (buf.length - pos - HEADER_BYTES < n) return { kind: 'torn' };
  const body = view.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + n);
  if (crc32(body) !== view.readUInt32LE(pos + 4)) return { kind: 'corrupt' };
  const signal = body[0]!;
  const metaLength = body.readUInt32LE(5);
  if (signal >= SIGNALS.length || BODY_FIXED + metaLength > n) return { kind: 'corrupt' };
  return { kind: 'record', length: HEADER_BYTES + n };
}

/** The batch of a whole record (checked by recordAt). */
export function decodeRecord(record: Uint8Array): Batch {
  const view = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const signal = SIGNALS[view[8]!] as Signal;
  const itemCount = view.readUInt32LE(9);
  const metaLength = view.readUInt32LE(13);
  const metadata =
    metaLength === 0 ? undefined : (JSON.parse(view.toString('utf8', 17, 17 + metaLength)) as BatchMetadata);
  // A copy: the read buffer is reused, and the batch outlives it.
  const bytes = Uint8Array.prototype.slice.call(record, 17 + metaLength);
  return trustedBatch(signal, bytes, itemCount, metadata);
}

const EMPTY = Buffer.alloc(0);

/** Headers, topic and client survive the spool; Kafka coordinates of an input record do not apply to the output. */
function metadataJson(m: BatchMetadata): Buffer {
  const kept: Record<string, unknown> = {};
  if (m.headers) kept['headers'] = m.headers;
  if (m.topic !== undefined) kept['topic'] = m.topic;
  if (m.client) kept['client'] = m.client;
  return Object.keys(kept).length === 0 ? EMPTY : Buffer.from(JSON.stringify(kept));
}
