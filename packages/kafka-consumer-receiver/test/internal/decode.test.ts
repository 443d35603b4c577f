import type { Message, MessageHeader } from '@otlp-kafka/kafka-client';
import { describe, expect, it } from 'vitest';
import { decodeRecord, headersToMetadata } from '../../src/internal/decode.js';
import {
  corruptTraceRequest,
  resourceAttributes,
  spanNames,
  traceRequest,
  traceRequestJson,
} from '../helpers/otlp.js';

const proto = { signal: 'traces', topics: ['t'], encoding: 'otlp_proto' } as const;
const json = { signal: 'traces', topics: ['t'], encoding: 'otlp_json' } as const;
const noExtraction = { extractHeaders: false, headers: [] };

/** A record of topic t, partition 0, offset 7, as librdkafka delivers it. */
function record(value: Buffer | null, headers?: MessageHeader[], extra: Partial<Message> = {}): Message {
  return { topic: 't', partition: 0, offset: 7, value, size: value?.length ?? 0, headers, ...extra };
}

describe('decodeRecord', () => {
  it('wraps otlp_proto bytes as they are, counted', () => {
    const bytes = traceRequest(['a', 'b', 'c']);
    const batch = decodeRecord(proto, record(bytes), noExtraction).unwrap();
    expect(batch.itemCount).toBe(3);
    expect(Buffer.from(batch.bytes).equals(bytes)).toBe(true);
    expect(batch.metadata.headers).toBeUndefined();
  });

  it('converts otlp_json to protobuf', () => {
    const batch = decodeRecord(json, record(traceRequestJson(['x', 'y'])), noExtraction).unwrap();
    expect(spanNames(batch)).toEqual(['x', 'y']);
  });

  it('refuses a null value, garbage bytes and bad JSON as ERR_INVALID_DATA', () => {
    expect(decodeRecord(proto, record(null), noExtraction).unwrapErr().code).toBe('ERR_INVALID_DATA');
    expect(
      decodeRecord(proto, record(Buffer.from([0x0a, 0xff, 0x01])), noExtraction).unwrapErr().message,
    ).toMatch(/undecodable otlp_proto traces/);
    expect(
      decodeRecord(json, record(Buffer.from('{"resourceSpans": [')), noExtraction).unwrapErr().message,
    ).toMatch(/otlp_json/);
  });

  it.each([
    ['short-trace-id', /spans\[0\]\.trace_id: 3 bytes/],
    ['invalid-utf8', /spans\[0\]\.name: .*UTF-8/],
    ['deep-nesting', /AnyValue nested deeper than 64 levels/],
  ] as const)(
    'refuses a record that is wrong inside its items (%s) as ERR_INVALID_DATA',
    (corruption, reason) => {
      const bad = corruptTraceRequest('badx', corruption);
      const error = decodeRecord(proto, record(bad), noExtraction).unwrapErr();
      expect(error.code).toBe('ERR_INVALID_DATA');
      expect(error.message).toMatch(/^undecodable otlp_proto traces record: resource_spans\[\d\]/);
      expect(error.message).toMatch(reason);
    },
  );

  it('puts every header in the metadata and the configured ones in resource attributes', () => {
    const headers: MessageHeader[] = [
      { Tenant: Buffer.from('acme') },
      { region: 'eu' },
      { tenant: 'second' },
    ];
    expect(headersToMetadata(headers)).toEqual({ tenant: ['acme', 'second'], region: ['eu'] });
    const batch = decodeRecord(proto, record(traceRequest(['a']), headers), {
      extractHeaders: true,
      headers: ['tenant', 'missing'],
    }).unwrap();
    expect(batch.metadata.headers).toEqual({ tenant: ['acme', 'second'], region: ['eu'] });
    const attrs = resourceAttributes(batch);
    expect(attrs['kafka.header.tenant']).toBe('acme');
    expect(attrs['service.name']).toBe('test');
    expect('kafka.header.missing' in attrs).toBe(false);
    expect('kafka.header.region' in attrs).toBe(false);
  });

  it('leaves the resource untouched when extraction is off', () => {
    const batch = decodeRecord(proto, record(traceRequest(['a']), [{ tenant: 'acme' }]), {
      extractHeaders: false,
      headers: ['tenant'],
    }).unwrap();
    expect(resourceAttributes(batch)['kafka.header.tenant']).toBeUndefined();
  });

  it('puts the record coordinates in metadata.kafka, headers raw and in order, the key as bytes', () => {
    const headers: MessageHeader[] = [{ Tenant: Buffer.from('acme') }, { region: 'eu' }];
    const batch = decodeRecord(
      proto,
      record(traceRequest(['a']), headers, { key: 'trace-1', timestamp: 1_700_000_000_123 }),
      noExtraction,
    ).unwrap();
    expect(batch.metadata.kafka).toEqual({
      topic: 't',
      partition: 0,
      firstOffset: 7,
      lastOffset: 7,
      key: Buffer.from('trace-1'),
      timestampMs: 1_700_000_000_123,
      headers: [
        { key: 'Tenant', value: Buffer.from('acme') },
        { key: 'region', value: 'eu' },
      ],
    });
    const bare = decodeRecord(
      proto,
      record(traceRequest(['a']), undefined, { key: null, timestamp: -1 }),
      noExtraction,
    );
    expect(bare.unwrap().metadata.kafka).toEqual({ topic: 't', partition: 0, firstOffset: 7, lastOffset: 7 });
  });
});
