// A service's NodeSDK exporting spans, logs and metrics to the real Kafka through one shared producer.
import { afterEach, describe, expect, it } from 'vitest';
import { metrics, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { DEFAULT_TOPICS } from '@otlp-kafka/kafka-client';
import { decodeRequest } from '@otlp-kafka/pdata';
import { createKafkaSdkExporters, createKafkaSpanExporter } from '@otlp-kafka/sdk-exporters';
import { consumeRaw, freshTopic, kafkaBrokers } from '@otlp-kafka/testkit/kafka';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('SDK exporters against Kafka', () => {
  it('NodeSDK at its defaults: every span, log record and data point reaches its topic, keyed by trace id', async () => {
    const topics = {
      traces: await freshTopic('sdk-spans', { partitions: 3 }),
      logs: await freshTopic('sdk-logs'),
      metrics: await freshTopic('sdk-metrics'),
    };
    const exporters = createKafkaSdkExporters({ kafka: { brokers: kafkaBrokers().split(','), topics } });
    const sdk = new NodeSDK({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      autoDetectResources: false,
      spanProcessors: [new BatchSpanProcessor(exporters.spanExporter)],
      logRecordProcessors: [new BatchLogRecordProcessor({ exporter: exporters.logRecordExporter })],
      metricReaders: [
        new PeriodicExportingMetricReader({
          exporter: exporters.metricExporter,
          exportIntervalMillis: 60_000,
        }),
      ],
    });
    sdk.start();
    stops.push(() => sdk.shutdown());
    const tracer = trace.getTracer('test');
    const spanIds = new Set<string>();
    for (let t = 0; t < 20; t++)
      tracer.startActiveSpan(`request-${t}`, (root) => {
        spanIds.add(root.spanContext().spanId);
        for (let c = 0; c < 9; c++) {
          const child = tracer.startSpan(`step-${c}`);
          spanIds.add(child.spanContext().spanId);
          child.end();
        }
        root.end();
      });
    const logger = logs.getLogger('test');
    for (let i = 0; i < 50; i++) logger.emit({ body: `line ${i}` });
    metrics.getMeter('test').createCounter('orders').add(3, { shop: 'a' });
    await sdk.shutdown();
    stops.length = 0;

    const spanRecords = await consumeRaw(topics.traces, { count: 20, timeoutMs: 30_000 });
    const seen: string[] = [];
    for (const r of spanRecords) {
      const req = decodeRequest('traces', r.value!).unwrap();
      const traceIds = new Set<string>();
      for (const rs of req.resourceSpans) {
        expect(rs.resource?.attributes).toContainEqual({
          key: 'service.name',
          value: { stringValue: 'checkout' },
        });
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans) {
            seen.push(hex(s.spanId));
            traceIds.add(hex(s.traceId));
          }
      }
      // One trace per record, and the record's key is its trace id: a trace stays on one partition.
      expect([...traceIds]).toEqual([r.key!.toString()]);
    }
    expect(seen.length).toBe(200);
    expect(new Set(seen)).toEqual(spanIds);

    const logRecords = await consumeRaw(topics.logs, { count: 1, timeoutMs: 30_000 });
    let lines = 0;
    for (const r of logRecords)
      for (const rl of decodeRequest('logs', r.value!).unwrap().resourceLogs)
        for (const sl of rl.scopeLogs) lines += sl.logRecords.length;
    expect(lines).toBe(50);

    const metricRecords = await consumeRaw(topics.metrics, { count: 1, timeoutMs: 30_000 });
    const names = metricRecords.flatMap((r) =>
      decodeRequest('metrics', r.value!)
        .unwrap()
        .resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name))),
    );
    expect(names).toContain('orders');
    expect(DEFAULT_TOPICS.traces).toBe('otlp_spans');
  });

  it('Kafka unreachable: construction returns at once, an export fails cleanly within its budget naming the cause', async () => {
    const captured = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(captured)] });
    provider.getTracer('test').startSpan('lost').end();
    const spans = captured.getFinishedSpans();
    const exporter = createKafkaSpanExporter({
      kafka: { brokers: ['127.0.0.1:1'], connectTimeoutMs: 1000 },
      timeoutMs: 1500,
    });
    stops.push(() => exporter.shutdown());
    const started = Date.now();
    const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    const tookMs = Date.now() - started;
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(
      /span-exporter: (gave up after \d+ attempts within timeoutMs 1500|no acknowledgement within timeoutMs 1500)/,
    );
    // Answered by its own budget, not held until some Kafka timeout (message timeout is 30 s).
    expect(tookMs).toBeLessThan(10_000);
  });
});
