// Interop check: what @otlp-kafka/sdk-exporters writes to Kafka is read unchanged by the upstream Go
// Collector's kafkareceiver (encoding otlp_proto). Not a benchmark: a pass/fail check.
//
//   OpenTelemetry JS SDK (BasicTracerProvider, LoggerProvider, MeterProvider, one resource)
//     -> createKafkaSdkExporters -> three fresh topics
//     -> Go Collector: kafka receiver (otlp_proto, fresh group, earliest) -> otlp_http exporter
//     -> a local OTLP/HTTP backend here (node:http + @otlp-kafka/pdata decodeRequest)
//
// Checks, per signal: every item the SDK got SUCCESS for arrived (spans by span id, log records by
// a sequence attribute, metric data points by count), nothing arrived twice, the resource
// attributes the SDK set arrived intact, and every item (with its resource and scope) arrived
// equal to the one in the Kafka records (read back raw from the topics). Exits 1 on any mismatch.
//
// Run: node --conditions=@otlp-kafka/source --import tsx bench/go-collector/sdk-read-check.ts
// Knobs: KAFKA_BROKERS (127.0.0.1:39092), SDK_CHECK_SPANS (2000), SDK_CHECK_LOGS (1000),
// SDK_CHECK_TIMEOUT_MS (90000: bound on waiting for the backend to have everything),
// SDK_CHECK_GO_BLOCK_ON_OVERFLOW (true; false: the otlp_http sending queue at its defaults, see go-configs.ts),
// SDK_CHECK_DEBUG (set: print one item that differs between Kafka and the backend).
// Columns: 'unmatched vs Kafka' = items in Kafka without an identical received item (resource,
// scope and item compared whole) plus received items without an identical one in Kafka.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { RdKafka } from '@confluentinc/kafka-javascript';
import {
  context,
  trace,
  SpanKind as ApiSpanKind,
  SpanStatusCode,
  type Attributes,
  type SpanContext,
} from '@opentelemetry/api';
import { SeverityNumber as ApiSeverity } from '@opentelemetry/api-logs';
import type { ExportResult } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics as SdkResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { createKafkaSdkExporters } from '@otlp-kafka/sdk-exporters';
import {
  decodeRequest,
  encodeExportResponse,
  type AnyValue,
  type KeyValue,
  type RequestOf,
  type Signal,
} from '@otlp-kafka/pdata';
import { deleteTopic, freshGroup, freshTopic } from '@otlp-kafka/testkit/kafka';
import { renderTable } from '../agent/report.js';
import { freePort, startGoCollector, type GoCollector, type Yaml } from './collector.js';
import { sdkReadCheckConfig } from './go-configs.js';

const num = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${v}"`);
  return n;
};
const BROKERS = process.env.KAFKA_BROKERS?.trim() || '127.0.0.1:39092';
const SPANS = num('SDK_CHECK_SPANS', 2000);
const LOGS = num('SDK_CHECK_LOGS', 1000);
const TIMEOUT_MS = num('SDK_CHECK_TIMEOUT_MS', 90_000);
/** false: the otlp_http exporter's sending queue at the Collector's defaults (refuses when full). */
const BLOCK_ON_OVERFLOW = process.env.SDK_CHECK_GO_BLOCK_ON_OVERFLOW !== 'false';
const PARTITIONS = 3;
const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

// ---- canonical forms ------------------------------------------------------------------------------

/** Plain data with bigints as "123n", bytes (Uint8Array or Buffer) as hex, keys sorted, undefined left out. */
function normal(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array)
    return `0x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (Array.isArray(v)) return v.map(normal);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, normal(x)]),
    );
  return v;
}

/** Equal data, equal string. */
const canon = (value: unknown): string => JSON.stringify(normal(value));

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The OTLP AnyValue the SDK's transformer writes for a JS attribute value. */
function expectedAnyValue(v: unknown): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: BigInt(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(expectedAnyValue) } };
  throw new Error(`unexpected resource attribute value ${String(v)}`);
}

const attrMap = (attrs: readonly KeyValue[]): Record<string, string> =>
  Object.fromEntries(attrs.map((kv) => [kv.key, canon(kv.value ?? {})]));

/** Every item of a decoded request with its resource and scope, as one canonical string each. */
interface Flat {
  readonly id: string;
  readonly canon: string;
  readonly resource: Record<string, string>;
}

function flatten(signal: Signal, req: RequestOf<Signal>): Flat[] {
  const out: Flat[] = [];
  if (signal === 'traces') {
    for (const rs of (req as RequestOf<'traces'>).resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans)
          out.push({
            id: hex(span.spanId),
            resource: attrMap(rs.resource?.attributes ?? []),
            canon: canon({
              resource: rs.resource,
              rsSchema: rs.schemaUrl,
              scope: ss.scope,
              ssSchema: ss.schemaUrl,
              span,
            }),
          });
  } else if (signal === 'logs') {
    for (const rl of (req as RequestOf<'logs'>).resourceLogs)
      for (const sl of rl.scopeLogs)
        for (const log of sl.logRecords)
          out.push({
            id: String(log.attributes.find((a) => a.key === 'check.seq')?.value?.intValue ?? 'none'),
            resource: attrMap(rl.resource?.attributes ?? []),
            canon: canon({
              resource: rl.resource,
              rlSchema: rl.schemaUrl,
              scope: sl.scope,
              slSchema: sl.schemaUrl,
              log,
            }),
          });
  } else {
    for (const rm of (req as RequestOf<'metrics'>).resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const metric of sm.metrics) {
          const data =
            metric.sum ?? metric.gauge ?? metric.histogram ?? metric.exponentialHistogram ?? metric.summary;
          const { dataPoints, ...kind } = (data ?? { dataPoints: [] }) as { dataPoints: unknown[] };
          const descriptor = {
            ...metric,
            gauge: undefined,
            sum: undefined,
            histogram: undefined,
            exponentialHistogram: undefined,
            summary: undefined,
          };
          const which = metric.sum
            ? 'sum'
            : metric.gauge
              ? 'gauge'
              : metric.histogram
                ? 'histogram'
                : metric.exponentialHistogram
                  ? 'exponentialHistogram'
                  : 'summary';
          for (const point of dataPoints)
            out.push({
              id: metric.name,
              resource: attrMap(rm.resource?.attributes ?? []),
              canon: canon({
                resource: rm.resource,
                rmSchema: rm.schemaUrl,
                scope: sm.scope,
                smSchema: sm.schemaUrl,
                descriptor,
                which,
                kind,
                point,
              }),
            });
        }
  }
  return out;
}

const decode = (signal: Signal, bytes: Uint8Array): RequestOf<Signal> => {
  const r = decodeRequest(signal, bytes);
  if (r.isErr()) throw r.error;
  return r.value;
};

// ---- the OTLP/HTTP backend the Go Collector exports to --------------------------------------------

interface Backend {
  readonly url: string;
  readonly items: Record<Signal, Flat[]>;
  readonly requests: Record<Signal, number>;
  readonly errors: string[];
  close(): Promise<void>;
}

async function startBackend(): Promise<Backend> {
  const items: Record<Signal, Flat[]> = { traces: [], logs: [], metrics: [] };
  const requests: Record<Signal, number> = { traces: 0, logs: 0, metrics: 0 };
  const errors: string[] = [];
  const body = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  };
  const server: Server = createServer((req, res) => {
    const signal = SIGNALS.find((s) => req.url === `/v1/${s}`);
    if (req.method !== 'POST' || !signal) {
      res.writeHead(404).end();
      return;
    }
    body(req)
      .then((bytes) => {
        if (!String(req.headers['content-type']).startsWith('application/x-protobuf'))
          throw new Error(`content-type ${req.headers['content-type']}`);
        items[signal].push(...flatten(signal, decode(signal, bytes)));
        requests[signal]++;
        res
          .writeHead(200, { 'content-type': 'application/x-protobuf' })
          .end(Buffer.from(encodeExportResponse(signal)));
      })
      .catch((err: unknown) => {
        errors.push(`${signal}: ${String(err)}`);
        res.writeHead(400).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    items,
    requests,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- what the SDK handed to our exporters, and what they answered ---------------------------------

interface Sent {
  spanIds: string[];
  logSeqs: string[];
  metricPoints: number;
  metricNames: Set<string>;
  failed: Record<Signal, number>;
  exports: Record<Signal, number>;
}

function recording(sent: Sent) {
  const settle = (signal: Signal, onOk: () => void) => (r: ExportResult) => {
    sent.exports[signal]++;
    if (r.code === 0) onOk();
    else {
      sent.failed[signal]++;
      console.error(`sdk-read-check: ${signal} export FAILED: ${String(r.error)}`);
    }
  };
  return {
    spans: (inner: SpanExporter): SpanExporter => ({
      export: (spans: ReadableSpan[], cb) =>
        inner.export(spans, (r) => {
          settle('traces', () => sent.spanIds.push(...spans.map((s) => s.spanContext().spanId)))(r);
          cb(r);
        }),
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    }),
    logs: (inner: LogRecordExporter): LogRecordExporter => ({
      export: (logs: ReadableLogRecord[], cb) =>
        inner.export(logs, (r) => {
          settle('logs', () => sent.logSeqs.push(...logs.map((l) => String(l.attributes['check.seq']))))(r);
          cb(r);
        }),
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    }),
    metrics: (inner: PushMetricExporter): PushMetricExporter => ({
      export: (rm: SdkResourceMetrics, cb) =>
        inner.export(rm, (r) => {
          settle('metrics', () => {
            for (const sm of rm.scopeMetrics)
              for (const m of sm.metrics) {
                sent.metricPoints += m.dataPoints.length;
                sent.metricNames.add(m.descriptor.name);
              }
          })(r);
          cb(r);
        }),
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush(),
      selectAggregationTemporality: inner.selectAggregationTemporality?.bind(inner),
      selectAggregation: inner.selectAggregation?.bind(inner),
    }),
  };
}

// ---- the SDK's side ------------------------------------------------------------------------------

const RESOURCE_ATTRIBUTES: Attributes = {
  'service.name': 'sdk-read-check',
  'service.namespace': 'otlp-kafka',
  'service.version': '1.2.3',
  'service.instance.id': `check-${process.pid}`,
  'deployment.environment.name': 'interop',
  'host.name': 'bench-host',
  'check.int': 42,
  'check.double': 2.5,
  'check.bool': true,
  'check.strings': ['a', 'b', 'ü€'],
};

async function writeWithSdk(topics: Record<Signal, string>, sent: Sent): Promise<Attributes> {
  const resource = defaultResource().merge(resourceFromAttributes(RESOURCE_ATTRIBUTES));
  const kafka = createKafkaSdkExporters({ kafka: { brokers: BROKERS.split(','), topics } });
  const wrap = recording(sent);
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor(wrap.spans(kafka.spanExporter), {
        maxQueueSize: 4 * SPANS,
        maxExportBatchSize: 512,
      }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({
        exporter: wrap.logs(kafka.logRecordExporter),
        maxQueueSize: 2 * LOGS,
        maxExportBatchSize: 512,
      }),
    ],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: wrap.metrics(kafka.metricExporter),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ resource, readers: [reader] });

  const tracer = tracerProvider.getTracer('sdk-read-check', '0.1.0');
  const logger = loggerProvider.getLogger('sdk-read-check', '0.1.0');
  const meter = meterProvider.getMeter('sdk-read-check', '0.1.0');
  const requests = meter.createCounter('check.requests', {
    unit: '{request}',
    description: 'requests handled',
  });
  const duration = meter.createHistogram('check.duration', { unit: 'ms' });
  const inflight = meter.createUpDownCounter('check.inflight');
  meter.createObservableGauge('check.queue_depth').addCallback((o) => o.observe(7.5, { queue: 'main' }));

  let previous: SpanContext | undefined;
  for (let i = 0; i < SPANS; i++) {
    // three of four spans have a parent (a local one, ended after its child)
    const parent = i % 4 === 0 ? undefined : tracer.startSpan('parent', { kind: ApiSpanKind.INTERNAL });
    const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
    const span = tracer.startSpan(
      `GET /orders/${i % 17}`,
      {
        kind: i % 2 ? ApiSpanKind.SERVER : ApiSpanKind.CLIENT,
        attributes: {
          'http.request.method': 'GET',
          'check.i': i,
          'check.ratio': i / 7,
          'check.flag': i % 3 === 0,
          'check.tags': ['x', `t${i % 5}`],
        },
        links: i % 5 === 0 && previous ? [{ context: previous, attributes: { 'link.i': i } }] : [],
      },
      ctx,
    );
    previous = span.spanContext();
    span.addEvent('checkpoint', { 'event.i': i });
    if (i % 9 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: `failure ${i}` });
    if (i < LOGS)
      logger.emit({
        severityNumber: i % 2 ? ApiSeverity.INFO : ApiSeverity.WARN,
        severityText: i % 2 ? 'INFO' : 'WARN',
        body: i % 3 ? `order ${i} handled` : { order: i, ok: true, items: ['a', 'b'] },
        attributes: { 'check.seq': i, 'check.kind': 'log' },
        context: trace.setSpan(context.active(), span),
        ...(i % 4 === 0 ? { eventName: 'check.event' } : {}),
      });
    requests.add(1, { route: `/orders/${i % 3}` });
    duration.record((i % 50) + 0.25, { route: `/orders/${i % 3}` });
    inflight.add(i % 2 ? 1 : -1);
    span.end();
    parent?.end();
  }
  // log records beyond the spans' count, outside any span
  for (let j = SPANS; j < LOGS; j++) logger.emit({ body: `log ${j}`, attributes: { 'check.seq': j } });
  await reader.forceFlush();
  // Shutting down flushes everything and waits for Kafka's acknowledgements (the metric reader
  // exports once more on shutdown: a second, cumulative collection).
  await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
  await resource.waitForAsyncAttributes?.();
  return resource.attributes;
}

// ---- the Kafka records, read back raw -------------------------------------------------------------

interface KafkaSide {
  records: number;
  keyedByTraceId: boolean;
  items: Flat[];
}

async function readTopic(signal: Signal, topic: string): Promise<KafkaSide> {
  const consumer = new RdKafka.KafkaConsumer(
    {
      'bootstrap.servers': BROKERS,
      'group.id': freshGroup('sdk-read-check-raw'),
      'enable.auto.commit': false,
      log_level: 3,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(new Error(err.message)) : resolve())),
  );
  try {
    const high = await Promise.all(
      Array.from(
        { length: PARTITIONS },
        (_, p) =>
          new Promise<number>((resolve, reject) =>
            consumer.queryWatermarkOffsets(topic, p, 10_000, (err, o) =>
              err ? reject(err) : resolve(o.highOffset),
            ),
          ),
      ),
    );
    const total = high.reduce((a, b) => a + b, 0);
    consumer.assign(high.flatMap((h, partition) => (h > 0 ? [{ topic, partition, offset: 0 }] : [])));
    consumer.setDefaultConsumeTimeout(500);
    const side: KafkaSide = { records: 0, keyedByTraceId: true, items: [] };
    const deadline = Date.now() + 60_000;
    while (side.records < total) {
      if (Date.now() > deadline) throw new Error(`read ${side.records} of ${total} records of ${topic}`);
      const batch = await new Promise<RdKafka.Message[]>((resolve, reject) =>
        consumer.consume(1000, (err, msgs) => (err ? reject(err) : resolve(msgs))),
      );
      for (const m of batch) {
        side.records++;
        if (!m.value) continue;
        const req = decode(signal, m.value);
        const flat = flatten(signal, req);
        side.items.push(...flat);
        if (signal === 'traces') {
          const traceIds = new Set(
            (req as RequestOf<'traces'>).resourceSpans.flatMap((rs) =>
              rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => hex(s.traceId))),
            ),
          );
          const key = m.key ? Buffer.from(m.key).toString('hex') : '';
          if (traceIds.size !== 1 || !(traceIds.has(key) || traceIds.has(String(m.key))))
            side.keyedByTraceId = false;
        }
      }
    }
    return side;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

// ---- comparison ----------------------------------------------------------------------------------

/** Multiset difference: strings in `a` not matched one-for-one in `b`. */
function missingFrom(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const s of b) counts.set(s, (counts.get(s) ?? 0) + 1);
  let missing = 0;
  for (const s of a) {
    const n = counts.get(s) ?? 0;
    if (n === 0) missing++;
    else counts.set(s, n - 1);
  }
  return missing;
}

async function main(): Promise<number> {
  const started = Date.now();
  const topics = {} as Record<Signal, string>;
  const backend = await startBackend();
  let collector: GoCollector | undefined;
  const problems: string[] = [];
  try {
    for (const s of SIGNALS)
      topics[s] = await freshTopic(`sdk-read-check-${s}`, { brokers: BROKERS, partitions: PARTITIONS });

    // 1. The SDK writes through our exporters; shutdown waits for Kafka's acknowledgements.
    const sent: Sent = {
      spanIds: [],
      logSeqs: [],
      metricPoints: 0,
      metricNames: new Set(),
      failed: { traces: 0, logs: 0, metrics: 0 },
      exports: { traces: 0, logs: 0, metrics: 0 },
    };
    const sdkResource = await writeWithSdk(topics, sent);
    const expectedResource = Object.fromEntries(
      Object.entries(sdkResource).map(([k, v]) => [k, canon(expectedAnyValue(v))]),
    );
    console.log(
      `sdk-read-check: SDK wrote ${sent.spanIds.length} spans, ${sent.logSeqs.length} log records, ` +
        `${sent.metricPoints} metric data points (${sent.exports.traces}/${sent.exports.logs}/${sent.exports.metrics} exports) in ${Date.now() - started} ms`,
    );

    // 2. What is in Kafka, read back raw.
    const inKafka = {} as Record<Signal, KafkaSide>;
    for (const s of SIGNALS) inKafka[s] = await readTopic(s, topics[s]);

    // 3. The Go Collector reads the topics and exports to the backend.
    const metricsPort = await freePort();
    const config: Yaml = sdkReadCheckConfig({
      brokers: BROKERS,
      topics,
      groupId: freshGroup('sdk-read-check'),
      backendUrl: backend.url,
      metricsPort,
      blockOnOverflow: BLOCK_ON_OVERFLOW,
    });
    const t0 = Date.now();
    collector = await startGoCollector('sdk-read-check', config, metricsPort, [metricsPort]);
    const expected: Record<Signal, number> = {
      traces: sent.spanIds.length,
      logs: sent.logSeqs.length,
      metrics: sent.metricPoints,
    };
    const complete = () => SIGNALS.every((s) => backend.items[s].length >= expected[s]);
    const deadline = Date.now() + TIMEOUT_MS;
    while (!complete() && Date.now() < deadline) await sleep(100);
    const waitedMs = Date.now() - t0;
    await sleep(1000); // anything arriving twice arrives now
    await collector.stop();
    const log = readFileSync(collector.logPath, 'utf8');
    const collectorErrors = log.split('\n').filter((l) => /\terror\t|"level":"error"/i.test(l));
    collector = undefined;

    // 4. Compare.
    const sentIds: Record<Signal, string[]> = { traces: sent.spanIds, logs: sent.logSeqs, metrics: [] };
    const rows: string[][] = [];
    for (const s of SIGNALS) {
      const got = backend.items[s];
      const kafka = inKafka[s];
      const ids = new Set(got.map((f) => f.id));
      const missingIds =
        s === 'metrics'
          ? [...sent.metricNames].filter((n) => !ids.has(n))
          : sentIds[s].filter((id) => !ids.has(id));
      const dup = got.length - new Set(got.map((f) => f.canon)).size;
      const notAsInKafka = missingFrom(
        kafka.items.map((f) => f.canon),
        got.map((f) => f.canon),
      );
      const extra = missingFrom(
        got.map((f) => f.canon),
        kafka.items.map((f) => f.canon),
      );
      const resourceOk =
        got.length > 0 &&
        got.every((f) => canon(f.resource) === canon(expectedResource)) &&
        kafka.items.every((f) => canon(f.resource) === canon(expectedResource));
      const ok =
        sent.failed[s] === 0 &&
        kafka.items.length === expected[s] &&
        got.length === expected[s] &&
        missingIds.length === 0 &&
        dup === 0 &&
        notAsInKafka === 0 &&
        extra === 0 &&
        resourceOk;
      if (!ok)
        problems.push(
          `${s}: failed exports ${sent.failed[s]}, in Kafka ${kafka.items.length}, received ${got.length} of ${expected[s]}, ` +
            `missing ids ${missingIds.length} (${missingIds.slice(0, 3).join(', ')}), duplicates ${dup}, ` +
            `differing from Kafka ${notAsInKafka}, not in Kafka ${extra}, resource ${resourceOk ? 'ok' : 'DIFFERS'}`,
        );
      if (notAsInKafka > 0 && process.env.SDK_CHECK_DEBUG) {
        const byId = new Map(kafka.items.map((f) => [f.id, f.canon]));
        const sample = got.find((f) => byId.has(f.id) && byId.get(f.id) !== f.canon);
        if (sample)
          console.log(
            `${s} differs, id ${sample.id}:\n kafka:    ${byId.get(sample.id)}\n received: ${sample.canon}`,
          );
      }
      rows.push([
        s,
        String(expected[s]),
        String(kafka.records),
        String(kafka.items.length),
        String(got.length),
        String(backend.requests[s]),
        String(missingIds.length),
        String(dup),
        String(notAsInKafka + extra),
        resourceOk ? 'ok' : 'DIFFERS',
        ok ? 'ok' : 'MISMATCH',
      ]);
    }
    if (!inKafka.traces.keyedByTraceId)
      problems.push('traces: a Kafka record was not keyed by its (single) trace id');
    if (backend.errors.length)
      problems.push(`backend refused requests: ${backend.errors.slice(0, 3).join('; ')}`);

    console.log(
      `\nsdk-read-check: Go Collector (kafkareceiver otlp_proto -> otlp_http) delivered in ${waitedMs} ms; ` +
        `resource: ${Object.keys(expectedResource).length} attributes (${Object.keys(expectedResource).join(', ')})\n`,
    );
    console.log(
      renderTable(
        [
          'signal',
          'sent (SDK SUCCESS)',
          'Kafka records',
          'items in Kafka',
          'received',
          'backend requests',
          'missing',
          'duplicates',
          'unmatched vs Kafka',
          'resource',
          'check',
        ],
        rows,
      ),
    );
    console.log(
      `\ntraces keyed by trace id in Kafka: ${inKafka.traces.keyedByTraceId ? 'yes' : 'NO'}; metric names: ${[...sent.metricNames].join(', ')}`,
    );
    if (collectorErrors.length)
      console.log(
        `Go Collector log has ${collectorErrors.length} error line(s); first:\n  ${collectorErrors.slice(0, 5).join('\n  ')}`,
      );
  } catch (err) {
    problems.push(`run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    if (collector) {
      problems.push(`collector log: ${collector.logPath}`);
      await collector.stop().catch(() => undefined);
    }
    await backend.close();
    for (const s of SIGNALS)
      if (topics[s])
        await deleteTopic(topics[s], { brokers: BROKERS }).catch((e: unknown) =>
          console.error(`deleting ${topics[s]}: ${String(e)}`),
        );
  }
  if (problems.length) {
    console.log(`\nsdk-read-check: FAIL\n  ${problems.join('\n  ')}`);
    return 1;
  }
  console.log(`\nsdk-read-check: PASS (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

process.exitCode = await main();
