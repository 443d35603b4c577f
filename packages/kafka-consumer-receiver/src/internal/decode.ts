import type { Message, MessageHeader } from '@otlp-kafka/kafka-client';
import { PipelineError, type Batch } from '@otlp-kafka/core';
import {
  createBatch,
  editResource,
  jsonToProto,
  type BatchMetadata,
  type ResourceAction,
} from '@otlp-kafka/pdata';
import { Err, Ok, type Result } from 'ts-results-es';
import type { TopicBinding } from './routing.js';

export interface HeaderExtraction {
  readonly extractHeaders: boolean;
  readonly headers: readonly string[];
}

/** The Collector's resource attribute prefix for extracted headers. */
export const HEADER_ATTRIBUTE_PREFIX = 'kafka.header.';

/** Kafka headers as batch metadata: lower-case names, UTF-8 values, repeated names kept in order. */
export function headersToMetadata(headers: readonly MessageHeader[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of headers ?? []) {
    for (const [name, value] of Object.entries(h)) {
      const key = name.toLowerCase();
      (out[key] ??= []).push(typeof value === 'string' ? value : value.toString('utf8'));
    }
  }
  return out;
}

type KafkaMetadata = NonNullable<BatchMetadata['kafka']>;

/** The record's coordinates as batch metadata (`metadata.kafka`): one record, so firstOffset = lastOffset. */
export function kafkaMetadata(message: Message): KafkaMetadata {
  const { key, timestamp } = message;
  const headers = (message.headers ?? []).flatMap((h) =>
    Object.entries(h).map(([name, value]) => Object.freeze({ key: name, value })),
  );
  return Object.freeze({
    topic: message.topic,
    partition: message.partition,
    firstOffset: message.offset,
    lastOffset: message.offset,
    ...(key === null || key === undefined
      ? {}
      : { key: typeof key === 'string' ? Buffer.from(key, 'utf8') : key }),
    ...(typeof timestamp === 'number' && timestamp >= 0 ? { timestampMs: timestamp } : {}),
    ...(headers.length ? { headers: Object.freeze(headers) } : {}),
  });
}

/**
 * A Kafka record's value as a batch of its binding's signal: OTLP/JSON is
 * converted to protobuf, the request is validated deeply and counted, the
 * record's coordinates go into `metadata.kafka`, all headers into
 * `metadata.headers` and the configured ones into resource attributes.
 * Err means the record can never be delivered (ERR_INVALID_DATA).
 */
export function decodeRecord(
  binding: TopicBinding,
  message: Message,
  extraction: HeaderExtraction,
): Result<Batch, PipelineError> {
  const { signal } = binding;
  const { value, headers } = message;
  if (value === null || value === undefined) return Err(invalid(`${signal} record has no value`));
  let bytes: Uint8Array = value;
  if (binding.encoding === 'otlp_json') {
    const converted = jsonToProto(
      signal,
      Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'),
    );
    if (converted.isErr())
      return Err(
        invalid(`undecodable otlp_json ${signal} record: ${converted.error.message}`, converted.error),
      );
    bytes = converted.value;
  }
  const metadataHeaders = headersToMetadata(headers);
  const metadata: BatchMetadata = {
    ...(Object.keys(metadataHeaders).length ? { headers: metadataHeaders } : {}),
    kafka: kafkaMetadata(message),
  };
  // Deep: every field of every item (ids, UTF-8, AnyValue nesting), as the OTLP receiver checks, so a bad
  // record is dead-lettered here instead of failing an exporter behind the pipeline forever.
  const batch = createBatch(signal, bytes, metadata, { deep: true });
  if (batch.isErr())
    return Err(
      invalid(`undecodable ${binding.encoding} ${signal} record: ${batch.error.message}`, batch.error),
    );
  if (!extraction.extractHeaders || extraction.headers.length === 0) return Ok(batch.value);
  const actions: ResourceAction[] = [];
  for (const name of extraction.headers) {
    const values = metadataHeaders[name.toLowerCase()];
    if (values?.length)
      actions.push({ key: `${HEADER_ATTRIBUTE_PREFIX}${name}`, action: 'upsert', value: values[0]! });
  }
  if (actions.length === 0) return Ok(batch.value);
  const edited = editResource(batch.value, actions);
  if (edited.isErr())
    return Err(
      invalid(`cannot add header attributes to ${signal} record: ${edited.error.message}`, edited.error),
    );
  return Ok(edited.value);
}

function invalid(message: string, cause?: unknown): PipelineError {
  return new PipelineError('ERR_INVALID_DATA', message, { cause });
}
