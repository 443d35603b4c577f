import type { MessageHeader } from '@otlp-kafka/kafka-client';
import { PipelineError, type Batch } from '@otlp-kafka/core';
import { createBatch, editResource, jsonToProto, type ResourceAction } from '@otlp-kafka/pdata';
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

/**
 * A Kafka record's value as a batch of its binding's signal: OTLP/JSON is
 * converted to protobuf, the request structure is checked and counted, all
 * headers go into the metadata and the configured ones into resource attributes.
 * Err means the record can never be delivered (ERR_INVALID_DATA).
 */
export function decodeRecord(
  binding: TopicBinding,
  value: Uint8Array | null | undefined,
  headers: readonly MessageHeader[] | undefined,
  extraction: HeaderExtraction,
): Result<Batch, PipelineError> {
  const { signal } = binding;
  if (value === null || value === undefined) return Err(invalid(`${signal} record has no value`));
  let bytes = value;
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
  const batch = createBatch(
    signal,
    bytes,
    Object.keys(metadataHeaders).length ? { headers: metadataHeaders } : undefined,
  );
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
