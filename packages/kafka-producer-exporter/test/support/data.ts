import {
  createBatch,
  decodeRequest,
  encodeRequest,
  type Batch,
  type BatchMetadata,
  type KeyValue,
  type LogRecord,
  type Metric,
  type Span,
} from '@otlp-kafka/pdata';

/** Test data: small OTLP requests built from plain objects and encoded with pdata's codec. */

export function kv(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

export function traceId(n: number): Uint8Array {
  const id = new Uint8Array(16);
  new DataView(id.buffer).setUint32(12, n);
  id[0] = 0xab;
  return id;
}

export function spanId(n: number): Uint8Array {
  const id = new Uint8Array(8);
  new DataView(id.buffer).setUint32(4, n);
  id[0] = 0xcd;
  return id;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function span(trace: number, id: number, padBytes = 0): Span {
  return {
    traceId: traceId(trace),
    spanId: spanId(id),
    traceState: '',
    parentSpanId: new Uint8Array(0),
    flags: 1,
    name: `span-${id}`,
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_500_000_000n,
    attributes: padBytes > 0 ? [kv('pad', 'x'.repeat(padBytes))] : [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
  };
}

export interface ResourceSpec<T> {
  attrs: Record<string, string>;
  items: T[];
}

function resource(attrs: Record<string, string>) {
  return {
    attributes: Object.entries(attrs).map(([k, v]) => kv(k, v)),
    droppedAttributesCount: 0,
    entityRefs: [],
  };
}

const scope = { name: 'test', version: '1', attributes: [], droppedAttributesCount: 0 };

export function tracesBatch(resources: ResourceSpec<Span>[], metadata?: BatchMetadata): Batch {
  const bytes = encodeRequest('traces', {
    resourceSpans: resources.map((r) => ({
      resource: resource(r.attrs),
      scopeSpans: [{ scope, spans: r.items, schemaUrl: '' }],
      schemaUrl: '',
    })),
  });
  return createBatch('traces', bytes, metadata).unwrap();
}

export function logRecord(id: number, trace?: number, padBytes = 0): LogRecord {
  return {
    timeUnixNano: 1_700_000_000_000_000_000n,
    observedTimeUnixNano: 1_700_000_000_000_000_000n,
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: `log-${id}${'x'.repeat(padBytes)}` },
    attributes: [kv('test.id', String(id))],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: trace === undefined ? new Uint8Array(0) : traceId(trace),
    spanId: trace === undefined ? new Uint8Array(0) : spanId(id),
    eventName: '',
  };
}

export function logsBatch(resources: ResourceSpec<LogRecord>[], metadata?: BatchMetadata): Batch {
  const bytes = encodeRequest('logs', {
    resourceLogs: resources.map((r) => ({
      resource: resource(r.attrs),
      scopeLogs: [{ scope, logRecords: r.items, schemaUrl: '' }],
      schemaUrl: '',
    })),
  });
  return createBatch('logs', bytes, metadata).unwrap();
}

export function gauge(name: string, points: number): Metric {
  return {
    name,
    description: '',
    unit: '1',
    gauge: {
      dataPoints: Array.from({ length: points }, (_, i) => ({
        attributes: [kv('test.id', `${name}-${i}`)],
        startTimeUnixNano: 0n,
        timeUnixNano: 1_700_000_000_000_000_000n,
        asDouble: i,
        exemplars: [],
        flags: 0,
      })),
    },
    metadata: [],
  };
}

export function metricsBatch(resources: ResourceSpec<Metric>[], metadata?: BatchMetadata): Batch {
  const bytes = encodeRequest('metrics', {
    resourceMetrics: resources.map((r) => ({
      resource: resource(r.attrs),
      scopeMetrics: [{ scope, metrics: r.items, schemaUrl: '' }],
      schemaUrl: '',
    })),
  });
  return createBatch('metrics', bytes, metadata).unwrap();
}

/** Span ids (hex) in an encoded traces request, with their resource's service.name. */
export function spansIn(bytes: Uint8Array): { id: string; trace: string; service: string | undefined }[] {
  const req = decodeRequest('traces', bytes).unwrap();
  return req.resourceSpans.flatMap((rs) => {
    const service = rs.resource?.attributes.find((a) => a.key === 'service.name')?.value?.stringValue;
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({ id: hex(s.spanId), trace: hex(s.traceId), service })),
    );
  });
}

export function logIdsIn(bytes: Uint8Array): string[] {
  const req = decodeRequest('logs', bytes).unwrap();
  return req.resourceLogs.flatMap((rl) =>
    rl.scopeLogs.flatMap((sl) =>
      sl.logRecords.map((l) => String(l.attributes.find((a) => a.key === 'test.id')?.value?.stringValue)),
    ),
  );
}
