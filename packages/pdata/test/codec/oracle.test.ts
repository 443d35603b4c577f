/*
 * Oracle cross-check: real SDK telemetry serialized by @opentelemetry/otlp-transformer
 * (protobuf and JSON) must decode to exactly what the SDK produced, and our
 * encoder must reproduce the transformer's bytes (in canonical form).
 */
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type RequestOf,
  type Signal,
  countItems,
  decodeRequest,
  encodeRequest,
  jsonToProto,
  protoToJson,
  requestFromJson,
  requestToJson,
} from '../../src/index.js';
import { buildLogRecords, buildResourceMetrics, buildSpans } from '../fixtures/sdk-data.js';
import { expectedLogs, expectedMetrics, expectedTraces } from '../fixtures/sdk-expected.js';
import { stripDefaults } from '../fixtures/strip-defaults.js';

interface Case<S extends Signal> {
  proto: Uint8Array;
  json: string;
  expected: RequestOf<S>;
  items: number;
}

const cases: { traces?: Case<'traces'>; metrics?: Case<'metrics'>; logs?: Case<'logs'> } = {};
const text = new TextDecoder();

beforeAll(async () => {
  const spans = buildSpans();
  cases.traces = {
    proto: ProtobufTraceSerializer.serializeRequest(spans)!,
    json: text.decode(JsonTraceSerializer.serializeRequest(spans)),
    expected: expectedTraces(spans),
    items: spans.length,
  };
  const logs = buildLogRecords();
  cases.logs = {
    proto: ProtobufLogsSerializer.serializeRequest(logs)!,
    json: text.decode(JsonLogsSerializer.serializeRequest(logs)),
    expected: expectedLogs(logs),
    items: logs.length,
  };
  const rm = await buildResourceMetrics();
  cases.metrics = {
    proto: ProtobufMetricsSerializer.serializeRequest(rm)!,
    json: text.decode(JsonMetricsSerializer.serializeRequest(rm)),
    expected: expectedMetrics(rm),
    items: rm.scopeMetrics.reduce((n, sm) => n + sm.metrics.reduce((m, x) => m + x.dataPoints.length, 0), 0),
  };
});

describe.each(['traces', 'metrics', 'logs'] as const)('oracle: %s', (signal) => {
  const get = (): Case<typeof signal> => cases[signal] as Case<typeof signal>;

  it('fixture covers real data', () => {
    expect(get().items).toBeGreaterThan(4);
    expect(countItems(signal, get().proto).unwrap()).toBe(get().items);
  });

  it('decodes the transformer protobuf to every field the SDK produced', () => {
    const decoded = decodeRequest(signal, get().proto);
    expect(decoded.isOk()).toBe(true);
    expect(decoded.unwrap()).toEqual(get().expected);
  });

  it('encodes the decoded request to the transformer bytes (canonical form)', () => {
    const decoded = decodeRequest(signal, get().proto).unwrap();
    const ours = encodeRequest(signal, decoded);
    expect(Buffer.from(ours).toString('hex')).toBe(
      Buffer.from(stripDefaults(signal, get().proto)).toString('hex'),
    );
    // Our own output is canonical: decoding and re-encoding it is the identity.
    expect(encodeRequest(signal, decodeRequest(signal, ours).unwrap())).toEqual(ours);
  });

  it('parses the transformer JSON to the same request', () => {
    const fromJson = requestFromJson(signal, get().json);
    expect(fromJson.isOk()).toBe(true);
    // The transformer's JSON writes `"body":{}` for a log record without a body
    // where its protobuf leaves the field out; everything else is the same.
    const expected =
      signal === 'logs' ? withEmptyBodies(get().expected as RequestOf<'logs'>) : get().expected;
    expect(fromJson.unwrap()).toEqual(expected);
    const proto = jsonToProto(signal, get().json).unwrap();
    expect(proto).toEqual(encodeRequest(signal, expected));
    if (signal !== 'logs') expect(proto).toEqual(stripDefaults(signal, get().proto));
  });

  it('round-trips through our JSON', () => {
    const decoded = decodeRequest(signal, get().proto).unwrap();
    const json = requestToJson(signal, decoded);
    expect(protoToJson(signal, get().proto).unwrap()).toBe(json);
    expect(requestFromJson(signal, json).unwrap()).toEqual(decoded);
  });
});

function withEmptyBodies(req: RequestOf<'logs'>): RequestOf<'logs'> {
  return {
    resourceLogs: req.resourceLogs.map((rl) => ({
      ...rl,
      scopeLogs: rl.scopeLogs.map((sl) => ({
        ...sl,
        logRecords: sl.logRecords.map((lr) => ({ ...lr, body: lr.body ?? {} })),
      })),
    })),
  };
}

describe('oracle: OTLP/JSON details', () => {
  it('writes ids as hex and 64-bit integers as strings', () => {
    const json = JSON.parse(protoToJson('traces', cases.traces!.proto).unwrap()) as {
      resourceSpans: {
        scopeSpans: { spans: { traceId: string; spanId: string; startTimeUnixNano: unknown }[] }[];
      }[];
    };
    const span = json.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof span.startTimeUnixNano).toBe('string');
  });
});
