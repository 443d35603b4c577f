import { describe, expect, it } from 'vitest';
import {
  type ExportMetricsServiceRequest,
  type ExportTraceServiceRequest,
  PdataError,
  type Span,
  jsonToProto,
  requestFromJson,
  requestToJson,
} from '../../src/index.js';

function span(overrides: Partial<Span>): Span {
  return {
    traceId: new Uint8Array(0),
    spanId: new Uint8Array(0),
    traceState: '',
    parentSpanId: new Uint8Array(0),
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: undefined,
    ...overrides,
  };
}

function traces(...spans: Span[]): ExportTraceServiceRequest {
  return {
    resourceSpans: [
      { resource: undefined, scopeSpans: [{ scope: undefined, spans, schemaUrl: '' }], schemaUrl: '' },
    ],
  };
}

function firstSpan(json: string): Span {
  return requestFromJson('traces', json).unwrap().resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
}

function jsonError(signal: 'traces' | 'metrics' | 'logs', json: string): PdataError {
  const r = requestFromJson(signal, json);
  expect(r.isErr()).toBe(true);
  const e = r.isErr() ? r.error : undefined;
  expect(e).toBeInstanceOf(PdataError);
  expect(e!.code).toBe('ERR_PDATA_JSON');
  return e!;
}

const wrap = (spanJson: string) => `{"resourceSpans":[{"scopeSpans":[{"spans":[${spanJson}]}]}]}`;

describe('OTLP/JSON writing', () => {
  it('writes ids as lowercase hex, 64-bit integers as strings, enums as integers, and leaves defaults out', () => {
    const json = requestToJson(
      'traces',
      traces(
        span({
          traceId: Uint8Array.from(Buffer.from('0AF7651916CD43DD8448EB211C80319C', 'hex')),
          spanId: Uint8Array.from(Buffer.from('b7ad6b7169203331', 'hex')),
          name: 'op',
          kind: 2,
          startTimeUnixNano: 1_700_000_000_000_000_001n,
          attributes: [{ key: 'b', value: { bytesValue: Uint8Array.from([0xfb, 0xff]) } }],
          status: { message: '', code: 2 },
        }),
      ),
    );
    expect(JSON.parse(json)).toEqual({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  name: 'op',
                  kind: 2,
                  startTimeUnixNano: '1700000000000000001',
                  attributes: [{ key: 'b', value: { bytesValue: '+/8=' } }],
                  status: { code: 2 },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(requestToJson('traces', { resourceSpans: [] })).toBe('{}');
  });

  it('keeps oneof members and optional fields even when zero; non-finite doubles as strings; -0 kept', () => {
    const req: ExportMetricsServiceRequest = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'm',
                  description: '',
                  unit: '',
                  metadata: [],
                  histogram: {
                    aggregationTemporality: 0,
                    dataPoints: [
                      {
                        attributes: [{ key: 'e', value: { stringValue: '' } }],
                        startTimeUnixNano: 0n,
                        timeUnixNano: 0n,
                        count: 0n,
                        sum: 0,
                        bucketCounts: [0n, 18446744073709551615n],
                        explicitBounds: [-0, Infinity],
                        exemplars: [],
                        flags: 0,
                        min: NaN,
                        max: -Infinity,
                      },
                    ],
                  },
                },
              ],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    };
    const json = requestToJson('metrics', req);
    expect(json).toContain('"sum":0');
    expect(json).toContain('"value":{"stringValue":""}');
    expect(json).toContain('"bucketCounts":["0","18446744073709551615"]');
    expect(json).toContain('"explicitBounds":[-0,"Infinity"]');
    expect(json).toContain('"min":"NaN","max":"-Infinity"');
    const back = requestFromJson('metrics', json).unwrap();
    expect(back).toEqual(req);
    expect(
      Object.is(
        back.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.histogram!.dataPoints[0]!.explicitBounds[0],
        -0,
      ),
    ).toBe(true);
  });
});

describe('OTLP/JSON reading', () => {
  it('accepts uppercase hex ids, snake_case keys, enum names, and 64-bit integers as numbers or strings', () => {
    const s = firstSpan(
      wrap(
        '{"trace_id":"0AF7651916CD43DD8448EB211C80319C","span_id":"B7AD6B7169203331","kind":"SPAN_KIND_CONSUMER",' +
          '"start_time_unix_nano":1700000000,"endTimeUnixNano":"18446744073709551615",' +
          '"status":{"code":"STATUS_CODE_ERROR","message":"boom"},' +
          '"attributes":[{"key":"i","value":{"int_value":"-9223372036854775808"}},{"key":"n","value":{"intValue":42}}]}',
      ),
    );
    expect(Buffer.from(s.traceId).toString('hex')).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(Buffer.from(s.spanId).toString('hex')).toBe('b7ad6b7169203331');
    expect(s.kind).toBe(5);
    expect(s.startTimeUnixNano).toBe(1_700_000_000n);
    expect(s.endTimeUnixNano).toBe(18446744073709551615n);
    expect(s.status).toEqual({ code: 2, message: 'boom' });
    expect(s.attributes.map((a) => a.value)).toEqual([
      { intValue: -9223372036854775808n },
      { intValue: 42n },
    ]);
  });

  it('accepts enum names of logs and metrics, URL-safe and unpadded base64, and numeric strings for doubles', () => {
    const logs = requestFromJson(
      'logs',
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"SEVERITY_NUMBER_WARN",' +
        '"body":{"bytesValue":"-_8"},"attributes":[{"key":"d","value":{"doubleValue":"2.5"}}]}]}]}]}',
    ).unwrap();
    const lr = logs.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(lr.severityNumber).toBe(13);
    expect(lr.body).toEqual({ bytesValue: Uint8Array.from([0xfb, 0xff]) });
    expect(lr.attributes[0]!.value).toEqual({ doubleValue: 2.5 });
    const metrics = requestFromJson(
      'metrics',
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"s","sum":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_DELTA","isMonotonic":true,"dataPoints":[{"asInt":"7"}]}}]}]}]}',
    ).unwrap();
    const sum = metrics.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum!;
    expect(sum.aggregationTemporality).toBe(1);
    expect(sum.dataPoints[0]!.asInt).toBe(7n);
  });

  it('treats null as the default and ignores unknown keys', () => {
    const s = firstSpan(
      wrap('{"name":null,"attributes":null,"status":null,"unknownField":{"x":[1,2]},"kind":null}'),
    );
    expect(s).toEqual(span({}));
  });

  it('names the JSON path of a bad value', () => {
    expect(jsonError('traces', wrap('{"name":"ok"},{"traceId":"zz"}')).field).toBe(
      'resourceSpans[0].scopeSpans[0].spans[1].traceId',
    );
    expect(jsonError('traces', wrap('{"traceId":"abc"}')).message).toContain('odd length');
    expect(jsonError('traces', wrap('{"kind":"SPAN_KIND_NOPE"}')).field).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0].kind',
    );
    expect(jsonError('traces', wrap('{"startTimeUnixNano":"-1"}')).message).toContain(
      'out of the uint64 range',
    );
    expect(jsonError('traces', wrap('{"droppedAttributesCount":1.5}')).message).toContain('uint32');
    expect(jsonError('traces', wrap('{"attributes":[{"key":"k","value":{"bytesValue":"@@"}}]}')).field).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.bytesValue',
    );
    expect(jsonError('traces', '{"resourceSpans":{}}').field).toBe('resourceSpans');
    expect(jsonError('traces', '[1]').field).toBe('$');
    expect(jsonError('traces', '{"resourceSpans":[').field).toBe('$');
    expect(
      jsonError('traces', wrap('{"attributes":[{"key":"k","value":{"stringValue":"a","intValue":1}}]}'))
        .message,
    ).toContain('both');
    expect(
      jsonError('metrics', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{},"sum":{}}]}]}]}')
        .field,
    ).toBe('resourceMetrics[0].scopeMetrics[0].metrics[0].sum');
  });

  it('bounds AnyValue nesting at 64 levels', () => {
    const nested = (depth: number): string => {
      let v = '{"stringValue":"leaf"}';
      for (let i = 0; i < depth; i++) v = `{"arrayValue":{"values":[${v}]}}`;
      return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${v}}]}]}]}`;
    };
    expect(requestFromJson('logs', nested(64)).isOk()).toBe(true);
    expect(jsonError('logs', nested(65)).message).toContain('64');
  });

  it('jsonToProto and the errors never throw', () => {
    expect(jsonToProto('traces', 'not json').isErr()).toBe(true);
    expect(jsonToProto('logs', '{}').unwrap()).toEqual(new Uint8Array(0));
  });
});
