import {
  createBatch,
  decodeRequest,
  encodeRequest,
  type AnyValue,
  type Batch,
  type BatchMetadata,
  type KeyValue,
  type Signal,
} from '@otlp-kafka/pdata';

export type Attrs = Record<string, AnyValue>;

export const str = (stringValue: string): AnyValue => ({ stringValue });
export const int = (v: number | bigint): AnyValue => ({ intValue: BigInt(v) });
export const dbl = (doubleValue: number): AnyValue => ({ doubleValue });
export const bool = (boolValue: boolean): AnyValue => ({ boolValue });

const kvs = (o: Attrs): KeyValue[] => Object.entries(o).map(([key, value]) => ({ key, value }));
const resource = (attrs: Attrs) => ({ attributes: kvs(attrs), droppedAttributesCount: 0, entityRefs: [] });
const scope = { name: 'test-scope', version: '1.0', attributes: [], droppedAttributesCount: 0 };
const RESOURCE: Attrs = { 'service.name': str('checkout') };

/**
 * A real encoded request of `signal` with one item per entry of `items`
 * (spans named span-<i>; log records with body log-<i>; data points: the
 * first half of a gauge named gauge, the rest of a histogram named histogram).
 */
export function batchOf(signal: Signal, items: Attrs[], metadata?: BatchMetadata): Batch {
  const bytes = encode(signal, items);
  return createBatch(signal, bytes, metadata).unwrap();
}

function encode(signal: Signal, items: Attrs[]): Uint8Array {
  if (signal === 'traces')
    return encodeRequest('traces', {
      resourceSpans: [
        {
          resource: resource(RESOURCE),
          scopeSpans: [
            {
              scope,
              spans: items.map((attrs, i) => ({
                traceId: new Uint8Array(16).fill(i + 1),
                spanId: new Uint8Array(8).fill(i + 1),
                traceState: '',
                parentSpanId: new Uint8Array(0),
                flags: 0,
                name: `span-${i}`,
                kind: 2,
                startTimeUnixNano: 1n,
                endTimeUnixNano: 2n,
                attributes: kvs(attrs),
                droppedAttributesCount: 0,
                events: [],
                droppedEventsCount: 0,
                links: [],
                droppedLinksCount: 0,
                status: { message: '', code: 0 },
              })),
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    });
  if (signal === 'logs')
    return encodeRequest('logs', {
      resourceLogs: [
        {
          resource: resource(RESOURCE),
          scopeLogs: [
            {
              scope,
              logRecords: items.map((attrs, i) => ({
                timeUnixNano: 1n,
                observedTimeUnixNano: 1n,
                severityNumber: 9,
                severityText: 'INFO',
                body: { stringValue: `log-${i}` },
                attributes: kvs(attrs),
                droppedAttributesCount: 0,
                flags: 0,
                traceId: new Uint8Array(0),
                spanId: new Uint8Array(0),
                eventName: '',
              })),
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    });
  const half = Math.ceil(items.length / 2);
  return encodeRequest('metrics', {
    resourceMetrics: [
      {
        resource: resource(RESOURCE),
        scopeMetrics: [
          {
            scope,
            metrics: [
              {
                name: 'gauge',
                description: '',
                unit: '1',
                metadata: [],
                gauge: {
                  dataPoints: items.slice(0, half).map((attrs) => ({
                    attributes: kvs(attrs),
                    startTimeUnixNano: 0n,
                    timeUnixNano: 1n,
                    asDouble: 1.5,
                    exemplars: [],
                    flags: 0,
                  })),
                },
              },
              {
                name: 'histogram',
                description: '',
                unit: 'ms',
                metadata: [],
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: items.slice(half).map((attrs) => ({
                    attributes: kvs(attrs),
                    startTimeUnixNano: 0n,
                    timeUnixNano: 1n,
                    count: 2n,
                    sum: 3,
                    bucketCounts: [1n, 1n],
                    explicitBounds: [1],
                    exemplars: [],
                    flags: 0,
                  })),
                },
              },
            ].filter((m) => (m.gauge?.dataPoints.length ?? m.histogram?.dataPoints.length ?? 0) > 0),
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  });
}

/** The attributes of every item of a batch, decoded, in order (keys in wire order). */
export function itemAttributes(batch: Batch): KeyValue[][] {
  if (batch.signal === 'traces')
    return decodeRequest('traces', batch.bytes)
      .unwrap()
      .resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.attributes)));
  if (batch.signal === 'logs')
    return decodeRequest('logs', batch.bytes)
      .unwrap()
      .resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords.map((x) => x.attributes)));
  return decodeRequest('metrics', batch.bytes)
    .unwrap()
    .resourceMetrics.flatMap((r) =>
      r.scopeMetrics.flatMap((s) =>
        s.metrics.flatMap((m) => [
          ...(m.gauge?.dataPoints ?? []).map((p) => p.attributes),
          ...(m.histogram?.dataPoints ?? []).map((p) => p.attributes),
        ]),
      ),
    );
}

/** Item attributes as records (a repeated key: the last one). */
export function attrsOf(batch: Batch): Attrs[] {
  return itemAttributes(batch).map((kv) => Object.fromEntries(kv.map((a) => [a.key, a.value ?? {}])));
}
