// One application using the OpenTelemetry JS SDK at its default settings, in its own process
// (one SDK per process, like a real service): a BatchSpanProcessor or BatchLogRecordProcessor
// built with nothing but the exporter, the exporter with nothing but its URL. It creates items
// at a fixed rate, then forceFlush + shutdown, and tells the parent (over IPC) every batch the
// processor hands to the exporter and every answer. Started by index.ts; not a public module.
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ChildConfig, ChildMessage, ParentMessage } from './protocol.js';

const config = JSON.parse(process.env.OTLP_KAFKA_SDK_CLIENT ?? 'null') as ChildConfig | null;
if (!config || !process.send) {
  console.error('sdk-client child: run through startSdkClient() (needs an IPC channel and its config)');
  process.exit(2);
}

const send = (m: ChildMessage): Promise<void> =>
  new Promise((resolve) =>
    process.connected ? process.send!(m, undefined, {}, () => resolve()) : resolve(),
  );
// The test is gone: so is this application.
process.on('disconnect', () => process.exit(1));

// Drops are reported by the span processor through diag only: a debug message when a run of
// drops starts and a warning with the run's count when the next span is queued again.
let diagDropped = 0;
let dropRuns = 0;
const diagMessages: string[] = [];
const keep = (level: string, message: string, args: unknown[]) => {
  if (diagMessages.length < 20)
    diagMessages.push(
      `${level}: ${message} ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`.slice(
        0,
        300,
      ),
    );
};
const logger: DiagLogger = {
  error: (message, ...args) => keep('error', message, args),
  warn: (message, ...args) => {
    const dropped = /^Dropped (\d+) spans because maxQueueSize reached/.exec(message);
    if (dropped) diagDropped += Number(dropped[1]);
    keep('warn', message, args);
  },
  info: () => {},
  // Debug messages carry whole export payloads as arguments: match the text only.
  debug: (message) => {
    if (message.includes('maxQueueSize reached')) dropRuns++;
  },
  // The exporter's retrying transport: a request sent again may be stored twice by the receiver.
  verbose: (message) => {
    if (message.startsWith('Scheduling export retry')) void send({ type: 'retrying', seqs: [...inFlight] });
  },
};
diag.setLogger(logger, DiagLogLevel.VERBOSE);

let seq = 0;
let created = 0;
const inFlight = new Set<number>();
/** Reports what the processor exports, unchanged: the SDK sees the real exporter's answers. */
function recording<T>(
  inner: { export(items: T[], done: (r: ExportResult) => void): void },
  idOf: (item: T) => string,
) {
  return (items: T[], done: (r: ExportResult) => void): void => {
    const n = ++seq;
    void send({ type: 'exporting', seq: n, ids: items.map(idOf), created });
    const t0 = performance.now();
    inFlight.add(n);
    inner.export(items, (result) => {
      inFlight.delete(n);
      const error = result.error ? String(result.error.message ?? result.error) : undefined;
      void send({
        type: 'exported',
        seq: n,
        ok: result.code === ExportResultCode.SUCCESS,
        ms: performance.now() - t0,
        ...(error ? { error } : {}),
      });
      done(result);
    });
  };
}

interface Sdk {
  create(n: number): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

async function traces(c: ChildConfig): Promise<Sdk> {
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const url = { url: c.url };
  const inner: SpanExporter =
    c.protocol === 'grpc'
      ? new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter(url)
      : c.protocol === 'http/json'
        ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(url)
        : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(url);
  const exporter: SpanExporter = {
    export: recording<ReadableSpan>(inner, (s) => s.spanContext().spanId),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const tracer = provider.getTracer('otlp-kafka-sdk-client');
  return {
    create: (n) => tracer.startSpan('sdk-client-span', { attributes: { 'test.n': n } }).end(),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

async function logs(c: ChildConfig): Promise<Sdk> {
  const { LoggerProvider, BatchLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
  const url = { url: c.url };
  const inner: LogRecordExporter =
    c.protocol === 'grpc'
      ? new (await import('@opentelemetry/exporter-logs-otlp-grpc')).OTLPLogExporter(url)
      : c.protocol === 'http/json'
        ? new (await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter(url)
        : new (await import('@opentelemetry/exporter-logs-otlp-proto')).OTLPLogExporter(url);
  const exporter: LogRecordExporter = {
    export: recording<ReadableLogRecord>(inner, (r) => String(r.attributes['test.id'] ?? '')),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
  const provider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter })] });
  const log = provider.getLogger('otlp-kafka-sdk-client');
  return {
    create: (n) =>
      log.emit({
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: 'sdk-client log record',
        attributes: { 'test.id': `${c.idPrefix}-${n}` },
      }),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

const TICK_MS = 5;
const MAX_STEP_MS = 50;
const CHUNK = 50;

async function run(c: ChildConfig, sdk: Sdk): Promise<void> {
  let stopRequested = false;
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stop') stopRequested = true;
  });
  const t0 = performance.now();
  let last = t0;
  // The time the client had CPU for: a tick later than MAX_STEP_MS advances it by MAX_STEP_MS only.
  let paced = 0;
  let starvedMs = 0;
  let maxLoopLagMs = 0;
  // Items at the rate over the paced time, in small chunks with I/O in between. Time the process
  // was starved of CPU is not made up: a catch-up burst would overflow the SDK's queue by itself,
  // whatever the receiver does, and the receiver's answers are what a test here is about.
  for (;;) {
    const now = performance.now();
    const step = now - last;
    last = now;
    maxLoopLagMs = Math.max(maxLoopLagMs, step - TICK_MS);
    paced += Math.min(step, MAX_STEP_MS);
    starvedMs += Math.max(0, step - MAX_STEP_MS);
    const end = stopRequested || (c.durationMs !== undefined && now - t0 >= c.durationMs);
    const due = Math.floor((c.itemsPerSecond * Math.min(paced, c.durationMs ?? paced)) / 1000);
    while (created < due) {
      const chunkEnd = Math.min(due, created + CHUNK);
      while (created < chunkEnd) sdk.create(created++);
      if (created < due) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (end) break;
    await new Promise<void>((resolve) => setTimeout(resolve, TICK_MS));
  }
  const createMs = performance.now() - t0;
  // Both reject when an export failed; the failure is already reported per export.
  await sdk.forceFlush().catch((e: unknown) => keep('forceFlush', String(e), []));
  await sdk.shutdown().catch((e: unknown) => keep('shutdown', String(e), []));
  await send({
    type: 'done',
    summary: {
      created,
      createMs,
      shutdownMs: performance.now() - t0 - createMs,
      maxLoopLagMs,
      starvedMs,
      diagDropped,
      dropRuns,
      diagMessages,
    },
  });
}

let code = 0;
try {
  const sdk = config.signal === 'traces' ? await traces(config) : await logs(config);
  await new Promise<void>((resolve) => {
    const onMessage = (m: ParentMessage) => {
      if (m.type !== 'start') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
    void send({ type: 'ready' });
  });
  await run(config, sdk);
} catch (e) {
  code = 1;
  await send({ type: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
// The last message has left (send resolved on its callback): exit even if an exporter left a handle open.
process.exit(code);
