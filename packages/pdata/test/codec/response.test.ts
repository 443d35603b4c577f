import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import {
  PdataError,
  decodeExportResponse,
  encodeExportResponse,
  exportResponseFromJson,
  exportResponseToJson,
} from '../../src/index.js';

const oracle = {
  traces: { proto: ProtobufTraceSerializer, json: JsonTraceSerializer, key: 'rejectedSpans' },
  metrics: { proto: ProtobufMetricsSerializer, json: JsonMetricsSerializer, key: 'rejectedDataPoints' },
  logs: { proto: ProtobufLogsSerializer, json: JsonLogsSerializer, key: 'rejectedLogRecords' },
} as const;

describe.each(['traces', 'metrics', 'logs'] as const)('export response: %s', (signal) => {
  const { proto, json, key } = oracle[signal];

  it('full success is an empty message and {}', () => {
    expect(encodeExportResponse(signal, {})).toEqual(new Uint8Array(0));
    expect(encodeExportResponse(signal, { rejectedItems: 0, errorMessage: '' })).toEqual(new Uint8Array(0));
    expect(exportResponseToJson(signal)).toBe('{}');
    expect(decodeExportResponse(signal, new Uint8Array(0)).unwrap()).toEqual({
      rejectedItems: 0,
      errorMessage: '',
    });
    expect(exportResponseFromJson(signal, '').unwrap()).toEqual({ rejectedItems: 0, errorMessage: '' });
  });

  it('partial success round-trips and matches the transformer', () => {
    for (const resp of [
      { rejectedItems: 3, errorMessage: 'bad items' },
      { rejectedItems: 0, errorMessage: 'warning only' },
      { rejectedItems: 123456789012, errorMessage: '' },
      { rejectedItems: 5n, errorMessage: 'bigint ✓' },
    ]) {
      const expected = { rejectedItems: Number(resp.rejectedItems), errorMessage: resp.errorMessage };
      const bytes = encodeExportResponse(signal, resp);
      expect(decodeExportResponse(signal, bytes).unwrap()).toEqual(expected);
      const theirs = proto.deserializeResponse(bytes) as { partialSuccess?: Record<string, unknown> };
      expect(Number(theirs.partialSuccess?.[key] ?? 0)).toBe(expected.rejectedItems);
      expect(theirs.partialSuccess?.errorMessage ?? '').toBe(expected.errorMessage);

      const text = exportResponseToJson(signal, resp);
      expect(exportResponseFromJson(signal, text).unwrap()).toEqual(expected);
      const theirJson = json.deserializeResponse(new TextEncoder().encode(text)) as {
        partialSuccess?: Record<string, unknown>;
      };
      expect(Number(theirJson.partialSuccess?.[key] ?? 0)).toBe(expected.rejectedItems);
    }
  });

  it('truncates fractional counts and treats non-finite ones as zero instead of throwing', () => {
    expect(
      decodeExportResponse(signal, encodeExportResponse(signal, { rejectedItems: 2.7 })).unwrap()
        .rejectedItems,
    ).toBe(2);
    expect(encodeExportResponse(signal, { rejectedItems: NaN })).toEqual(new Uint8Array(0));
    expect(exportResponseToJson(signal, { rejectedItems: Infinity, errorMessage: 'm' })).toBe(
      '{"partialSuccess":{"errorMessage":"m"}}',
    );
  });

  it('reads snake_case and numeric JSON, and reports bad responses as errors', () => {
    const snake = `{"partial_success":{"${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}":7,"error_message":"x"}}`;
    expect(exportResponseFromJson(signal, snake).unwrap()).toEqual({ rejectedItems: 7, errorMessage: 'x' });
    const bad = exportResponseFromJson(signal, `{"partialSuccess":{"${key}":"seven"}}`);
    expect(bad.isErr() && bad.error.field).toBe(`partialSuccess.${key}`);
    const trunc = decodeExportResponse(signal, Uint8Array.from([0x0a, 0x05, 0x08]));
    expect(trunc.isErr() && trunc.error).toBeInstanceOf(PdataError);
    const wrongType = decodeExportResponse(signal, Uint8Array.from([0x0a, 0x02, 0x12, 0x00, 0x08]));
    expect(wrongType.isErr()).toBe(true);
  });
});
