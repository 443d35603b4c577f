// A real OpenTelemetry SDK client: spans through a BatchSpanProcessor and the
// OTLP/HTTP protobuf exporter (which retries retryable answers and connection
// errors itself), with a record of which span ids the agent acknowledged.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

export interface SdkClient {
  /** Span ids of exports that succeeded. */
  readonly acked: ReadonlySet<string>;
  /** Span ids of exports that failed after the SDK's retries. */
  readonly failed: readonly string[];
  readonly created: number;
  /** Span ids of exports awaiting their result right now. */
  inFlightIds(): string[];
  /** Ends the span loop, flushes and shuts the SDK down. */
  stop(): Promise<void>;
}

class RecordingExporter implements SpanExporter {
  readonly acked = new Set<string>();
  readonly failed: string[] = [];
  readonly pending = new Set<readonly string[]>();
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const ids = spans.map((s) => s.spanContext().spanId);
    this.pending.add(ids);
    this.inner.export(spans, (result) => {
      this.pending.delete(ids);
      if (result.code === ExportResultCode.SUCCESS) for (const id of ids) this.acked.add(id);
      else this.failed.push(...ids);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export function startSdkClient(o: { url: string; spansPerSecond: number }): SdkClient {
  const exporter = new RecordingExporter(
    new OTLPTraceExporter({ url: `${o.url}/v1/traces`, timeoutMillis: 45_000 }),
  );
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        scheduledDelayMillis: 500,
        maxExportBatchSize: 100,
        maxQueueSize: 4096,
        exportTimeoutMillis: 60_000,
      }),
    ],
  });
  const tracer = provider.getTracer('otlp-kafka-e2e');
  let created = 0;
  const timer = setInterval(() => {
    tracer.startSpan('e2e-sdk-span', { attributes: { 'e2e.n': created } }).end();
    created++;
  }, 1000 / o.spansPerSecond);
  return {
    acked: exporter.acked,
    failed: exporter.failed,
    get created() {
      return created;
    },
    inFlightIds: () => [...exporter.pending].flat(),
    async stop() {
      clearInterval(timer);
      await provider.forceFlush();
      await provider.shutdown();
    },
  };
}
