import type { MessageHeader } from '@otlp-kafka/kafka-client';
import { PipelineError, type Batch, type Signal } from '@otlp-kafka/core';
import {
  groupByResource,
  groupByResourceAttribute,
  groupByTraceId,
  mergeBatches,
  protoToJson,
  type PdataError,
} from '@otlp-kafka/pdata';
import { Err, Ok, type Result } from 'ts-results-es';
import { fitToLimit, type Piece } from './fit.js';

/**
 * librdkafka counts a record as value + key + headers + this much framing
 * (RD_KAFKAP_MESSAGE_V2_MAX_OVERHEAD) against message.max.bytes.
 */
export const RECORD_OVERHEAD_BYTES = 36;

export type PartitionBy = 'none' | 'traceId' | 'resource';

export interface PlanConfig {
  encoding: 'otlp_proto' | 'otlp_json';
  maxMessageBytes: number;
  topicFromAttribute: string | undefined;
  /** Lower-case batch metadata header key whose first value is the topic (before the attribute). */
  topicFromMetadataKey: string | undefined;
  /** When set, a topic from the metadata key, the attribute or metadata.topic must be one of these or the signal's configured topic. */
  allowedTopics: ReadonlySet<string> | undefined;
  defaultTopic(signal: Signal): string;
  partitionBy(signal: Signal): PartitionBy;
  staticHeaders: Readonly<Record<string, string>>;
  headersFromMetadata: readonly string[];
}

/** One Kafka record to produce. */
export interface OutMessage {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: MessageHeader[] | undefined;
  /** Spans, data points or log records in the value. */
  readonly items: number;
  /** What the record weighs against message.max.bytes and the queue budget. */
  readonly size: number;
}

export interface Plan {
  readonly messages: OutMessage[];
  /** Items that can never fit in a message (each alone exceeds maxMessageBytes). */
  readonly rejectedItems: number;
  readonly rejectedReason: string | undefined;
  /** Items whose topic (from metadata or an attribute) is not in allowedTopics: refused for good, never produced. */
  readonly unroutedItems: number;
  readonly unroutedReason: string | undefined;
}

/**
 * Turns a batch into Kafka records: a topic from the batch metadata
 * (topicFromMetadataKey) or per resource (topicFromAttribute), held to
 * allowedTopics,
 * then a key per trace or resource when partitioning is on (every record
 * carries exactly one key), then split on the wire so each record fits.
 * Errors are data errors (the batch cannot be read), refused for good.
 */
export function planMessages(batch: Batch, cfg: PlanConfig): Result<Plan, PipelineError> {
  const headers = messageHeaders(batch, cfg);
  const headerBytes = headersWireSize(headers);
  const configured = cfg.defaultTopic(batch.signal);
  const fromKey = cfg.topicFromMetadataKey
    ? batch.metadata.headers?.[cfg.topicFromMetadataKey]?.[0]
    : undefined;
  const fallbackTopic = fromKey || batch.metadata.topic || configured;
  const messages: OutMessage[] = [];
  let rejectedItems = 0;
  let rejectedReason: string | undefined;
  let unroutedItems = 0;
  let unroutedReason: string | undefined;

  const byTopic = fromKey
    ? Ok(new Map([[fromKey, batch]]))
    : topicGroups(batch, cfg.topicFromAttribute, fallbackTopic);
  if (byTopic.isErr()) return Err(invalid(byTopic.error));
  for (const [topic, topicBatch] of byTopic.value) {
    if (cfg.allowedTopics && topic !== configured && !cfg.allowedTopics.has(topic)) {
      unroutedItems += topicBatch.itemCount;
      unroutedReason ??= `topic ${JSON.stringify(topic.slice(0, 256))} is not in allowedTopics`;
      continue;
    }
    const byKey = keyGroups(topicBatch, cfg.partitionBy(batch.signal));
    if (byKey.isErr()) return Err(invalid(byKey.error));
    for (const [key, keyBatch] of byKey.value) {
      const keyBuf = key === '' ? null : Buffer.from(key, 'utf8');
      const limit = cfg.maxMessageBytes - RECORD_OVERHEAD_BYTES - (keyBuf?.length ?? 0) - headerBytes;
      const fitted = fitToLimit(keyBatch, limit, cfg.encoding === 'otlp_json' ? jsonEncoder : protoEncoder);
      if (fitted.isErr()) return Err(invalid(fitted.error));
      const { pieces, rejected } = fitted.value;
      if (rejected.items > 0) {
        rejectedItems += rejected.items;
        rejectedReason ??= `${rejected.reason} (producer.maxMessageBytes ${cfg.maxMessageBytes}, less record overhead, key and headers)`;
      }
      for (const piece of pieces) messages.push(toMessage(topic, keyBuf, headers, headerBytes, piece));
    }
  }
  return Ok({ messages, rejectedItems, rejectedReason, unroutedItems, unroutedReason });
}

function toMessage(
  topic: string,
  key: Buffer | null,
  headers: MessageHeader[] | undefined,
  headerBytes: number,
  piece: Piece,
): OutMessage {
  return {
    topic,
    key,
    value: piece.value,
    headers,
    items: piece.items,
    size: RECORD_OVERHEAD_BYTES + piece.value.length + (key?.length ?? 0) + headerBytes,
  };
}

const protoEncoder = (b: Batch): Result<Buffer, PdataError> => Ok(asBuffer(b.bytes));

const jsonEncoder = (b: Batch): Result<Buffer, PdataError> => {
  const json = protoToJson(b.signal, b.bytes);
  return json.isOk() ? Ok(Buffer.from(json.value, 'utf8')) : Err(json.error);
};

/** A Buffer over the same memory (librdkafka copies the payload on produce). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function topicGroups(
  batch: Batch,
  attribute: string | undefined,
  fallback: string,
): Result<Map<string, Batch>, PdataError> {
  if (attribute === undefined) return Ok(new Map([[fallback, batch]]));
  const groups = groupByResourceAttribute(batch, attribute);
  if (groups.isErr()) return Err(groups.error);
  const byTopic = new Map<string, Batch[]>();
  for (const [value, b] of groups.value) {
    const topic = value === undefined || value === '' ? fallback : value;
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), b]);
  }
  // Resources without the attribute and resources naming the fallback topic share a group.
  const out = new Map<string, Batch>();
  for (const [topic, batches] of byTopic) {
    if (batches.length === 1) {
      out.set(topic, batches[0]!);
      continue;
    }
    const merged = mergeBatches(batches, batch.metadata);
    if (merged.isErr()) return Err(merged.error);
    out.set(topic, merged.value);
  }
  return Ok(out);
}

function keyGroups(batch: Batch, by: PartitionBy): Result<Map<string, Batch>, PdataError> {
  if (by === 'none') return Ok(new Map([['', batch]]));
  return by === 'traceId' ? groupByTraceId(batch) : groupByResource(batch);
}

function messageHeaders(batch: Batch, cfg: PlanConfig): MessageHeader[] | undefined {
  const out: MessageHeader[] = [];
  for (const [k, v] of Object.entries(cfg.staticHeaders)) out.push({ [k]: v });
  const meta = batch.metadata.headers;
  if (meta) {
    for (const k of cfg.headersFromMetadata) for (const v of meta[k] ?? []) out.push({ [k]: v });
  }
  return out.length > 0 ? out : undefined;
}

/** Upper bound of the headers' size in a v2 record: two 5-byte varints per header plus key and value. */
export function headersWireSize(headers: MessageHeader[] | undefined): number {
  if (!headers) return 0;
  let n = 5; // header count
  for (const h of headers) {
    for (const [k, v] of Object.entries(h))
      n += 10 + Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  }
  return n;
}

function invalid(e: PdataError): PipelineError {
  return new PipelineError('ERR_INVALID_DATA', `cannot read the batch: ${e.message}`, { cause: e });
}
