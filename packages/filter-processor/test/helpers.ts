import {
  createBatch,
  decodeRequest,
  encodeRequest,
  type AnyValue,
  type Batch,
  type KeyValue,
  type LogRecord,
  type Span,
} from '@otlp-kafka/pdata';

const kvs = (o: Record<string, AnyValue>): KeyValue[] =>
  Object.entries(o).map(([key, value]) => ({ key, value }));

export interface SpanSpec {
  name: string;
  kind?: number;
  status?: number;
  attrs?: Record<string, AnyValue>;
}

export function span(i: number, s: SpanSpec): Span {
  return {
    traceId: new Uint8Array(16).fill(i),
    spanId: new Uint8Array(8).fill(i),
    traceState: '',
    parentSpanId: new Uint8Array(0),
    flags: 0,
    name: s.name,
    kind: s.kind ?? 1,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes: kvs(s.attrs ?? {}),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { message: '', code: s.status ?? 0 },
  };
}

/** One resource (its attributes) with one scope (its name) per entry. */
export function traces(...resources: [Record<string, AnyValue>, string, SpanSpec[]][]): Batch {
  let i = 0;
  const bytes = encodeRequest('traces', {
    resourceSpans: resources.map(([res, scope, spans]) => ({
      resource: { attributes: kvs(res), droppedAttributesCount: 0, entityRefs: [] },
      scopeSpans: [
        {
          scope: { name: scope, version: '1.0', attributes: [], droppedAttributesCount: 0 },
          spans: spans.map((s) => span(++i, s)),
          schemaUrl: '',
        },
      ],
      schemaUrl: '',
    })),
  });
  return createBatch('traces', bytes).unwrap();
}

export interface LogSpec {
  body?: string;
  severity?: number;
  text?: string;
  attrs?: Record<string, AnyValue>;
}

export function logs(res: Record<string, AnyValue>, records: LogSpec[]): Batch {
  const logRecords: LogRecord[] = records.map((r) => ({
    timeUnixNano: 1n,
    observedTimeUnixNano: 1n,
    severityNumber: r.severity ?? 0,
    severityText: r.text ?? '',
    ...(r.body === undefined ? {} : { body: { stringValue: r.body } }),
    attributes: kvs(r.attrs ?? {}),
    droppedAttributesCount: 0,
    flags: 0,
    traceId: new Uint8Array(0),
    spanId: new Uint8Array(0),
    eventName: '',
  }));
  const bytes = encodeRequest('logs', {
    resourceLogs: [
      {
        resource: { attributes: kvs(res), droppedAttributesCount: 0, entityRefs: [] },
        scopeLogs: [{ logRecords, schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  });
  return createBatch('logs', bytes).unwrap();
}

/** Gauges, one per name, each with points carrying `attrs`. */
export function metrics(
  res: Record<string, AnyValue>,
  gauges: [string, Record<string, AnyValue>[]][],
): Batch {
  const bytes = encodeRequest('metrics', {
    resourceMetrics: [
      {
        resource: { attributes: kvs(res), droppedAttributesCount: 0, entityRefs: [] },
        scopeMetrics: [
          {
            metrics: gauges.map(([name, points]) => ({
              name,
              description: '',
              unit: '1',
              metadata: [],
              gauge: {
                dataPoints: points.map((a) => ({
                  attributes: kvs(a),
                  startTimeUnixNano: 0n,
                  timeUnixNano: 1n,
                  asDouble: 1.5,
                  exemplars: [],
                  flags: 0,
                })),
              },
            })),
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  });
  return createBatch('metrics', bytes).unwrap();
}

/** Names of the spans, log bodies or metric names (one per data point) left in a batch. */
export function names(batch: Batch): string[] {
  if (batch.signal === 'traces')
    return decodeRequest('traces', batch.bytes)
      .unwrap()
      .resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name)));
  if (batch.signal === 'logs')
    return decodeRequest('logs', batch.bytes)
      .unwrap()
      .resourceLogs.flatMap((r) =>
        r.scopeLogs.flatMap((s) => s.logRecords.map((x) => x.body?.stringValue ?? '')),
      );
  return decodeRequest('metrics', batch.bytes)
    .unwrap()
    .resourceMetrics.flatMap((r) =>
      r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => (m.gauge?.dataPoints ?? []).map(() => m.name))),
    );
}
