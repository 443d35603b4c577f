import type {
  AnyValue,
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
  InstrumentationScope,
  KeyValue,
  LogRecord,
  Metric,
  NumberDataPoint,
  HistogramDataPoint,
  Resource,
  Span,
} from '@otlp-kafka/pdata';
import type { IdSource } from './ids.js';
import { toHex } from './prng.js';

/** The attribute that carries a data point's or log record's unique id. */
export const TEST_ID = 'test.id';
export const PAYLOAD = 'test.payload';

export function kv(key: string, value: AnyValue): KeyValue {
  return { key, value };
}

export function str(s: string): AnyValue {
  return { stringValue: s };
}

export interface BuildContext {
  idPrefix: string;
  /** Resource indexes for this request, one per ResourceX entry. */
  resources: number[];
  items: number;
  payload: () => string;
  /** Nanoseconds for the next item. */
  time: () => bigint;
  spansPerTrace: number;
  dataPointsPerMetric: number;
}

const SCOPE: InstrumentationScope = {
  name: '@otlp-kafka/testkit',
  version: '0.1.0',
  attributes: [],
  droppedAttributesCount: 0,
};

export function resourceOf(index: number, idPrefix: string): Resource {
  return {
    attributes: [
      kv('service.name', str(`svc-${index}`)),
      kv('service.instance.id', str(`${idPrefix}inst-${index}`)),
      kv('host.name', str(`host-${index % 4}`)),
    ],
    droppedAttributesCount: 0,
    entityRefs: [],
  };
}

/** How many items each resource entry gets: as even as possible, the first ones one more. */
function shares(items: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(items / parts) + (i < items % parts ? 1 : 0));
}

function payloadAttrs(ctx: BuildContext): KeyValue[] {
  const p = ctx.payload();
  return p ? [kv(PAYLOAD, str(p))] : [];
}

/** Spans in traces of `spansPerTrace`: the first span of a trace is the root, the others its children. */
export class TraceBuilder {
  private inTrace = 0;
  private traceId: Uint8Array = new Uint8Array(16);
  private rootId: Uint8Array = new Uint8Array(8);

  constructor(private readonly ids: IdSource) {}

  build(ctx: BuildContext, out: string[]): ExportTraceServiceRequest {
    return {
      resourceSpans: shares(ctx.items, ctx.resources.length).map((n, i) => ({
        resource: resourceOf(ctx.resources[i]!, ctx.idPrefix),
        scopeSpans: [
          { scope: SCOPE, spans: Array.from({ length: n }, () => this.span(ctx, out)), schemaUrl: '' },
        ],
        schemaUrl: '',
      })),
    };
  }

  private span(ctx: BuildContext, out: string[]): Span {
    if (this.inTrace === 0) this.traceId = this.ids.nextTraceId();
    const spanId = this.ids.nextSpanId();
    const root = this.inTrace === 0;
    if (root) this.rootId = spanId;
    this.inTrace = (this.inTrace + 1) % ctx.spansPerTrace;
    const start = ctx.time();
    const hex = toHex(spanId);
    out.push(hex);
    return {
      traceId: this.traceId,
      spanId,
      traceState: '',
      parentSpanId: root ? new Uint8Array(0) : this.rootId,
      flags: 1,
      name: root ? 'GET /load' : `step-${hex.slice(-1)}`,
      kind: root ? 2 : 1,
      startTimeUnixNano: start,
      endTimeUnixNano: start + 1_000_000n,
      attributes: payloadAttrs(ctx),
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { message: '', code: 0 },
    };
  }
}

/** Data points in metrics of up to `dataPointsPerMetric`, rotating gauge, sum and histogram. */
export class MetricsBuilder {
  private seq = 0;
  private metricSeq = 0;

  build(ctx: BuildContext, out: string[]): ExportMetricsServiceRequest {
    return {
      resourceMetrics: shares(ctx.items, ctx.resources.length).map((n, i) => ({
        resource: resourceOf(ctx.resources[i]!, ctx.idPrefix),
        scopeMetrics: [{ scope: SCOPE, metrics: this.metrics(ctx, n, out), schemaUrl: '' }],
        schemaUrl: '',
      })),
    };
  }

  private metrics(ctx: BuildContext, points: number, out: string[]): Metric[] {
    const metrics: Metric[] = [];
    for (let left = points; left > 0;) {
      const n = Math.min(left, ctx.dataPointsPerMetric);
      left -= n;
      const kind = this.metricSeq++ % 3;
      const base = { description: '', unit: '1', metadata: [] };
      if (kind === 0) {
        metrics.push({
          ...base,
          name: 'test.gauge',
          gauge: { dataPoints: this.numbers(ctx, n, out, false) },
        });
      } else if (kind === 1) {
        const dataPoints = this.numbers(ctx, n, out, true);
        metrics.push({
          ...base,
          name: 'test.sum',
          sum: { dataPoints, aggregationTemporality: 2, isMonotonic: true },
        });
      } else {
        const dataPoints = Array.from({ length: n }, () => this.histogramPoint(ctx, out));
        metrics.push({
          ...base,
          name: 'test.histogram',
          unit: 'ms',
          histogram: { dataPoints, aggregationTemporality: 1 },
        });
      }
    }
    return metrics;
  }

  private id(ctx: BuildContext, out: string[]): KeyValue {
    const id = `${ctx.idPrefix}m${this.seq++}`;
    out.push(id);
    return kv(TEST_ID, str(id));
  }

  private numbers(ctx: BuildContext, n: number, out: string[], asInt: boolean): NumberDataPoint[] {
    return Array.from({ length: n }, () => {
      const t = ctx.time();
      const point: NumberDataPoint = {
        attributes: [this.id(ctx, out), ...payloadAttrs(ctx)],
        startTimeUnixNano: asInt ? t - 60_000_000_000n : 0n,
        timeUnixNano: t,
        exemplars: [],
        flags: 0,
      };
      if (asInt) point.asInt = BigInt(this.seq);
      else point.asDouble = this.seq / 8;
      return point;
    });
  }

  private histogramPoint(ctx: BuildContext, out: string[]): HistogramDataPoint {
    const t = ctx.time();
    return {
      attributes: [this.id(ctx, out), ...payloadAttrs(ctx)],
      startTimeUnixNano: t - 10_000_000_000n,
      timeUnixNano: t,
      count: 6n,
      sum: 42.5,
      bucketCounts: [1n, 2n, 3n, 0n],
      explicitBounds: [5, 10, 100],
      exemplars: [],
      flags: 0,
      min: 0.5,
      max: 90,
    };
  }
}

/** Log records with a body, a severity and trace / span ids of their own. */
export class LogsBuilder {
  private seq = 0;

  constructor(private readonly ids: IdSource) {}

  build(ctx: BuildContext, out: string[]): ExportLogsServiceRequest {
    return {
      resourceLogs: shares(ctx.items, ctx.resources.length).map((n, i) => ({
        resource: resourceOf(ctx.resources[i]!, ctx.idPrefix),
        scopeLogs: [
          { scope: SCOPE, logRecords: Array.from({ length: n }, () => this.record(ctx, out)), schemaUrl: '' },
        ],
        schemaUrl: '',
      })),
    };
  }

  private record(ctx: BuildContext, out: string[]): LogRecord {
    const id = `${ctx.idPrefix}l${this.seq++}`;
    out.push(id);
    const t = ctx.time();
    return {
      timeUnixNano: t,
      observedTimeUnixNano: t + 1_000n,
      severityNumber: 9,
      severityText: 'INFO',
      body: str(`log record ${id}`),
      attributes: [kv(TEST_ID, str(id)), ...payloadAttrs(ctx)],
      droppedAttributesCount: 0,
      flags: 1,
      traceId: this.ids.nextTraceId(),
      spanId: this.ids.nextSpanId(),
      eventName: '',
    };
  }
}
