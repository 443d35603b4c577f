// Real OTLP bytes for tests: spans from the OpenTelemetry SDK, encoded by
// @opentelemetry/otlp-transformer (independent of our codec); read back with pdata.
import { ProtobufTraceSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { decodeRequest, type Batch } from '@otlp-kafka/pdata';

/** One ExportTraceServiceRequest whose spans are named by `ids`. */
export function traceRequest(
  ids: readonly string[],
  resource: Record<string, string> = { 'service.name': 'test' },
): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans(ids, resource))!);
}

/** The same as OTLP/JSON. */
export function traceRequestJson(ids: readonly string[]): Buffer {
  return Buffer.from(JsonTraceSerializer.serializeRequest(spans(ids, { 'service.name': 'test' }))!);
}

function spans(ids: readonly string[], resource: Record<string, string>) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('kafka-consumer-receiver-test');
  for (const id of ids) tracer.startSpan(id).end();
  return exporter.getFinishedSpans();
}

/** Span names in a traces batch. */
export function spanNames(batch: Batch | Uint8Array): string[] {
  const bytes = batch instanceof Uint8Array ? batch : batch.bytes;
  const req = decodeRequest('traces', bytes).unwrap();
  return req.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)));
}

/** Resource attributes (string values) of the first resource in a traces batch. */
export function resourceAttributes(batch: Batch): Record<string, string | undefined> {
  const req = decodeRequest('traces', batch.bytes).unwrap();
  const attrs = req.resourceSpans[0]?.resource?.attributes ?? [];
  return Object.fromEntries(attrs.map((a) => [a.key, a.value?.stringValue]));
}
