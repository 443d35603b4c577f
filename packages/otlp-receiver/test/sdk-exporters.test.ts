import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TracesGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TracesJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TracesProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { backpressure, ok, type Batch } from '@otlp-kafka/core';
import { decodeRequest, type AnyValue, type KeyValue } from '@otlp-kafka/pdata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from '../src/index.js';
import { fakeConsumer, startReceiver } from './helpers.js';

/** Real OTel JS SDK exporters against the receiver; every item is counted by id at the consumer. */

const N = 250;
type Transport = 'proto' | 'json' | 'grpc';
const TRANSPORTS: Transport[] = ['proto', 'json', 'grpc'];

const sinks = { traces: fakeConsumer(), metrics: fakeConsumer(), logs: fakeConsumer() };
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startReceiver(sinks);
});
afterAll(async () => {
  await receiver.shutdown();
});

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const testId = (attrs: readonly KeyValue[]): string | undefined => {
  const v: AnyValue | undefined = attrs.find((a) => a.key === 'test.id')?.value;
  return v?.stringValue;
};

function spanIds(batches: readonly Batch[]): string[] {
  return batches.flatMap((b) =>
    decodeRequest('traces', b.bytes)
      .unwrap()
      .resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => hex(s.spanId)))),
  );
}

function pointIds(batches: readonly Batch[]): string[] {
  return batches.flatMap((b) =>
    decodeRequest('metrics', b.bytes)
      .unwrap()
      .resourceMetrics.flatMap((rm) =>
        rm.scopeMetrics.flatMap((sm) =>
          sm.metrics.flatMap((m) => (m.sum?.dataPoints ?? []).map((dp) => testId(dp.attributes)!)),
        ),
      ),
  );
}

function logIds(batches: readonly Batch[]): string[] {
  return batches.flatMap((b) =>
    decodeRequest('logs', b.bytes)
      .unwrap()
      .resourceLogs.flatMap((rl) =>
        rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => testId(r.attributes)!)),
      ),
  );
}

function tracesExporter(t: Transport) {
  if (t === 'grpc') return new TracesGrpc({ url: `http://${receiver.grpcAddress}` });
  const url = `${receiver.httpUrl}/v1/traces`;
  return t === 'proto' ? new TracesProto({ url }) : new TracesJson({ url });
}

function metricsExporter(t: Transport) {
  if (t === 'grpc') return new MetricsGrpc({ url: `http://${receiver.grpcAddress}` });
  const url = `${receiver.httpUrl}/v1/metrics`;
  return t === 'proto' ? new MetricsProto({ url }) : new MetricsJson({ url });
}

function logsExporter(t: Transport) {
  if (t === 'grpc') return new LogsGrpc({ url: `http://${receiver.grpcAddress}` });
  const url = `${receiver.httpUrl}/v1/logs`;
  return t === 'proto' ? new LogsProto({ url }) : new LogsJson({ url });
}

/** Every id exactly once. */
function expectExactly(received: string[], sent: string[]): void {
  expect(received.length).toBe(sent.length);
  expect(new Set(received)).toEqual(new Set(sent));
}

describe.each(TRANSPORTS)('OTel JS SDK exporter over %s', (transport) => {
  it('delivers every span', async () => {
    const before = sinks.traces.batches.length;
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(tracesExporter(transport), { maxExportBatchSize: 100 })],
    });
    const tracer = provider.getTracer('receiver-test');
    const sent: string[] = [];
    for (let i = 0; i < N; i++) {
      const span = tracer.startSpan(`op-${i}`, { attributes: { 'test.i': i } });
      sent.push(span.spanContext().spanId);
      span.end();
    }
    await provider.forceFlush();
    await provider.shutdown();
    const batches = sinks.traces.batches.slice(before);
    expect(batches.length).toBeGreaterThanOrEqual(3); // batches of at most 100
    expectExactly(spanIds(batches), sent);
    const transportSeen = transport === 'grpc' ? 'grpc' : 'http';
    expect(batches.every((b) => b.metadata.client?.transport === transportSeen)).toBe(true);
  });

  it('delivers every metric data point', async () => {
    const before = sinks.metrics.batches.length;
    const reader = new PeriodicExportingMetricReader({
      exporter: metricsExporter(transport),
      exportIntervalMillis: 3_600_000,
    });
    const provider = new MeterProvider({ readers: [reader] });
    const counter = provider.getMeter('receiver-test').createCounter(`requests_${transport}`);
    const sent: string[] = [];
    for (let i = 0; i < N; i++) {
      const id = `${transport}-${i}`;
      counter.add(i + 1, { 'test.id': id });
      sent.push(id);
    }
    // Shutdown collects and exports once (cumulative: a flush first would send every point twice).
    await provider.shutdown();
    expectExactly(pointIds(sinks.metrics.batches.slice(before)), sent);
  });

  it('delivers every log record', async () => {
    const before = sinks.logs.batches.length;
    const provider = new LoggerProvider({
      processors: [
        new BatchLogRecordProcessor({ exporter: logsExporter(transport), maxExportBatchSize: 100 }),
      ],
    });
    const logger = provider.getLogger('receiver-test');
    const sent: string[] = [];
    for (let i = 0; i < N; i++) {
      const id = `${transport}-log-${i}`;
      logger.emit({ body: `record ${i}`, attributes: { 'test.id': id } });
      sent.push(id);
    }
    await provider.forceFlush();
    await provider.shutdown();
    expectExactly(logIds(sinks.logs.batches.slice(before)), sent);
  });
});

// The JS SDK's gRPC exporter does not retry at all (its transport has no retry
// loop), so only the HTTP exporters are shown retrying; RetryInfo on gRPC is
// checked with a raw client in internal/grpc-server.test.ts.
describe.each(['proto', 'json'] as const)('OTel JS SDK exporter over %s, refused once', (transport) => {
  it('retries after backpressure (429 with Retry-After) and delivers every span once', async () => {
    const accepted: Batch[] = [];
    let refusals = 0;
    const consumer = fakeConsumer((batch) => {
      if (refusals++ === 0) return backpressure('over the memory limit', 100);
      accepted.push(batch);
      return ok();
    });
    const r = await startReceiver({ traces: consumer });
    const url = `${r.httpUrl}/v1/traces`;
    const exporter = transport === 'proto' ? new TracesProto({ url }) : new TracesJson({ url });
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
    const tracer = provider.getTracer('retry-test');
    const sent = Array.from({ length: 20 }, (_, i) => {
      const span = tracer.startSpan(`op-${i}`);
      span.end();
      return span.spanContext().spanId;
    });
    await provider.forceFlush();
    await provider.shutdown();
    await r.shutdown();
    expect(refusals).toBe(2);
    expectExactly(spanIds(accepted), sent);
  });
});
