// The real OpenTelemetry SDK processors, at their defaults, exporting into a pipeline of ours.
import { afterEach, describe, expect, it } from 'vitest';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createPipeline, createPushReceiver, type Pipeline } from '@otlp-kafka/core';
import { decodeRequest, type Batch } from '@otlp-kafka/pdata';
import { createLogRecordExporter, createMetricExporter, createSpanExporter } from '@otlp-kafka/sdk-exporters';
import { createMemorySink, type MemorySink } from '@otlp-kafka/testkit';

const resource = resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.2.3' });

function pipelineInto(sink: MemorySink): { push: ReturnType<typeof createPushReceiver>; pipeline: Pipeline } {
  const push = createPushReceiver();
  const pipeline = createPipeline({
    pipelines: (['traces', 'metrics', 'logs'] as const).map((signal) => ({
      signal,
      receivers: [push],
      exporters: [sink],
    })),
  });
  return { push, pipeline };
}

function resourceAttrs(batch: Batch): Record<string, unknown> {
  const req = decodeRequest(batch.signal, batch.bytes).unwrap() as {
    resourceSpans?: { resource?: { attributes: { key: string; value: { stringValue?: string } }[] } }[];
    resourceLogs?: { resource?: { attributes: { key: string; value: { stringValue?: string } }[] } }[];
    resourceMetrics?: { resource?: { attributes: { key: string; value: { stringValue?: string } }[] } }[];
  };
  const first = (req.resourceSpans ?? req.resourceLogs ?? req.resourceMetrics)![0]!;
  return Object.fromEntries((first.resource?.attributes ?? []).map((a) => [a.key, a.value.stringValue]));
}

const toStop: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of toStop.splice(0).reverse()) await stop();
});

describe('SDK processors exporting into a pipeline', () => {
  it('BatchSpanProcessor: every span arrives once, with the resource the SDK set, even across retryable refusals', async () => {
    const sink = createMemorySink();
    const { push, pipeline } = pipelineInto(sink);
    await pipeline.start();
    toStop.push(() => pipeline.shutdown());
    // 2000 spans fit the processor's default queue (2048): any loss would be ours.
    // The first two attempts are refused as retryable: the exporter retries, the SDK never sees FAILED.
    sink.failNext({ kind: 'retryable', message: 'kafka away' }, 2);
    const exporter = createSpanExporter({
      consumer: push,
      retry: { initialIntervalMs: 5, maxIntervalMs: 10 },
    });
    const provider = new BasicTracerProvider({
      resource,
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('test');
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const span = tracer.startSpan(`op-${i}`);
      ids.add(span.spanContext().spanId);
      span.end();
    }
    await provider.forceFlush();
    await provider.shutdown();
    expect(sink.calls.slice(0, 2).map((c) => c.outcome && c.outcome.isOk())).toEqual([false, false]);
    const seen: string[] = [];
    for (const b of sink.batches) {
      const req = decodeRequest('traces', b.bytes).unwrap();
      for (const rs of req.resourceSpans)
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans) seen.push(Buffer.from(s.spanId).toString('hex'));
    }
    expect(seen.length).toBe(2000);
    expect(new Set(seen)).toEqual(ids);
    expect(resourceAttrs(sink.batches[0]!)).toMatchObject({
      'service.name': 'checkout',
      'service.version': '1.2.3',
    });
  });

  it('BatchLogRecordProcessor: log records arrive with their body and resource', async () => {
    const sink = createMemorySink();
    const { push, pipeline } = pipelineInto(sink);
    await pipeline.start();
    toStop.push(() => pipeline.shutdown());
    const exporter = createLogRecordExporter({ consumer: push });
    const provider = new LoggerProvider({
      resource,
      processors: [new BatchLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('test');
    for (let i = 0; i < 100; i++) logger.emit({ body: `line ${i}`, severityText: 'INFO' });
    await provider.forceFlush();
    await provider.shutdown();
    expect(sink.items).toBe(100);
    expect(sink.batches.every((b) => b.signal === 'logs')).toBe(true);
    expect(resourceAttrs(sink.batches[0]!)['service.name']).toBe('checkout');
  });

  it('PeriodicExportingMetricReader: data points arrive, cumulative by default', async () => {
    const sink = createMemorySink();
    const { push, pipeline } = pipelineInto(sink);
    await pipeline.start();
    toStop.push(() => pipeline.shutdown());
    const exporter = createMetricExporter({ consumer: push });
    const provider = new MeterProvider({
      resource,
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
    });
    const counter = provider.getMeter('test').createCounter('requests');
    counter.add(1, { route: '/a' });
    counter.add(2, { route: '/b' });
    await provider.forceFlush();
    await provider.shutdown();
    expect(sink.items).toBeGreaterThanOrEqual(2);
    const req = decodeRequest('metrics', sink.batches[0]!.bytes).unwrap();
    const metric = req.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
    expect(metric.name).toBe('requests');
    expect(metric.sum?.aggregationTemporality).toBe(2);
  });

  it('temporalityPreference delta: counters are exported as deltas', async () => {
    const sink = createMemorySink();
    const { push, pipeline } = pipelineInto(sink);
    await pipeline.start();
    toStop.push(() => pipeline.shutdown());
    const exporter = createMetricExporter({ consumer: push, temporalityPreference: 'delta' });
    const provider = new MeterProvider({
      resource,
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
    });
    provider.getMeter('test').createCounter('requests').add(5);
    await provider.forceFlush();
    await provider.shutdown();
    const req = decodeRequest('metrics', sink.batches[0]!.bytes).unwrap();
    expect(req.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum?.aggregationTemporality).toBe(1);
  });
});
