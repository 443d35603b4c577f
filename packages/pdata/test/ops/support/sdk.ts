/** Requests serialized by @opentelemetry/otlp-transformer from real OTel SDK data. */
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType } from '@opentelemetry/sdk-metrics';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { context, trace } from '@opentelemetry/api';

/** Spans from several tracers and services; `traces` traces of `perTrace` spans each, attribute values of `attrBytes`. */
export function sdkSpans(traces: number, perTrace: number, attrBytes = 16): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  for (const service of ['checkout', 'cart']) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'h1', 'process.pid': 42 }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracers = [provider.getTracer('http', '1.0.0'), provider.getTracer('db')];
    for (let t = 0; t < traces; t++) {
      const root = tracers[0]!.startSpan(`GET /${t}`, {
        attributes: { 'http.route': '/x', payload: 'p'.repeat(attrBytes) },
      });
      const ctx = trace.setSpan(context.active(), root);
      for (let i = 1; i < perTrace; i++) {
        const child = tracers[i % 2]!.startSpan(
          `op ${i}`,
          { attributes: { i, 'db.statement': 'q'.repeat(attrBytes) } },
          ctx,
        );
        child.addEvent('e', { n: i });
        child.end();
      }
      root.end();
    }
    spans.push(...exporter.getFinishedSpans());
  }
  return spans;
}

export function sdkTraceRequest(traces = 5, perTrace = 4, attrBytes = 16): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(sdkSpans(traces, perTrace, attrBytes))!;
}

/** Counter, up-down counter, histogram, exponential histogram and gauge, with several attribute sets. */
export async function sdkMetricsRequest(): Promise<{ bytes: Uint8Array; points: number }> {
  const testMeter = createTestMeter({
    resource: resourceFromAttributes({ 'service.name': 'metrics-svc' }),
    views: [{ instrumentName: 'latency.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = testMeter.meterProvider.getMeter('m', '2.0');
  const counter = meter.createCounter('requests', { description: 'requests served', unit: '1' });
  const upDown = meter.createUpDownCounter('queue.size');
  const hist = meter.createHistogram('latency', { unit: 'ms' });
  const exp = meter.createHistogram('latency.exp', { unit: 'ms' });
  const gauge = meter.createGauge('temperature');
  for (let i = 0; i < 6; i++) {
    const attrs = { route: `/r${i % 3}`, code: 200 + (i % 2) };
    counter.add(i + 1, attrs);
    upDown.add(i - 2, attrs);
    hist.record(i * 3.5, attrs);
    exp.record(i * 1.5 + 0.1, attrs);
    gauge.record(20 + i, attrs);
  }
  const resourceMetrics = await testMeter.collect();
  let points = 0;
  for (const sm of resourceMetrics.scopeMetrics) for (const m of sm.metrics) points += m.dataPoints.length;
  await testMeter.shutdown();
  return { bytes: ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!, points };
}

export function sdkLogsRequest(n = 20): Uint8Array {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'logs-svc' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const tracer = new BasicTracerProvider().getTracer('t');
  const loggers = [provider.getLogger('a'), provider.getLogger('b', '1.0')];
  for (let i = 0; i < n; i++) {
    const span = tracer.startSpan('s');
    const ctx = i % 3 === 0 ? context.active() : trace.setSpan(context.active(), span);
    loggers[i % 2]!.emit({
      body: `line ${i}`,
      severityNumber: SeverityNumber.INFO,
      attributes: { i },
      context: ctx,
    });
    span.end();
  }
  return ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!;
}
