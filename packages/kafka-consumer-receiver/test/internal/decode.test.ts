import type { MessageHeader } from '@otlp-kafka/kafka-client';
import { describe, expect, it } from 'vitest';
import { decodeRecord, headersToMetadata } from '../../src/internal/decode.js';
import { resourceAttributes, spanNames, traceRequest, traceRequestJson } from '../helpers/otlp.js';

const proto = { signal: 'traces', topics: ['t'], encoding: 'otlp_proto' } as const;
const json = { signal: 'traces', topics: ['t'], encoding: 'otlp_json' } as const;
const noExtraction = { extractHeaders: false, headers: [] };

describe('decodeRecord', () => {
  it('wraps otlp_proto bytes as they are, counted', () => {
    const bytes = traceRequest(['a', 'b', 'c']);
    const batch = decodeRecord(proto, bytes, undefined, noExtraction).unwrap();
    expect(batch.itemCount).toBe(3);
    expect(Buffer.from(batch.bytes).equals(bytes)).toBe(true);
    expect(batch.metadata.headers).toBeUndefined();
  });

  it('converts otlp_json to protobuf', () => {
    const batch = decodeRecord(json, traceRequestJson(['x', 'y']), undefined, noExtraction).unwrap();
    expect(spanNames(batch)).toEqual(['x', 'y']);
  });

  it('refuses a null value, garbage bytes and bad JSON as ERR_INVALID_DATA', () => {
    expect(decodeRecord(proto, null, undefined, noExtraction).unwrapErr().code).toBe('ERR_INVALID_DATA');
    expect(
      decodeRecord(proto, Buffer.from([0x0a, 0xff, 0x01]), undefined, noExtraction).unwrapErr().message,
    ).toMatch(/undecodable otlp_proto traces/);
    expect(
      decodeRecord(json, Buffer.from('{"resourceSpans": ['), undefined, noExtraction).unwrapErr().message,
    ).toMatch(/otlp_json/);
  });

  it('puts every header in the metadata and the configured ones in resource attributes', () => {
    const headers: MessageHeader[] = [
      { Tenant: Buffer.from('acme') },
      { region: 'eu' },
      { tenant: 'second' },
    ];
    expect(headersToMetadata(headers)).toEqual({ tenant: ['acme', 'second'], region: ['eu'] });
    const batch = decodeRecord(proto, traceRequest(['a']), headers, {
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
    const batch = decodeRecord(proto, traceRequest(['a']), [{ tenant: 'acme' }], {
      extractHeaders: false,
      headers: ['tenant'],
    }).unwrap();
    expect(resourceAttributes(batch)['kafka.header.tenant']).toBeUndefined();
  });
});
