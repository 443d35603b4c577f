// Real OTLP bytes for tests: spans from the OpenTelemetry SDK, encoded by
// @opentelemetry/otlp-transformer (independent of our codec); read back with pdata.
import { ProtobufTraceSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { decodeRequest, encodeRequest, type Batch } from '@otlp-kafka/pdata';

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

export type Corruption = 'short-trace-id' | 'invalid-utf8' | 'deep-nesting';

/**
 * A traces request of one span named `id` that is well-formed down to the span
 * (countItems accepts it) but wrong inside: a 3-byte trace id, a span name that
 * is not UTF-8 (`id` must be 4 ASCII characters), or an attribute value nested 70 levels deep.
 */
export function corruptTraceRequest(id: string, corruption: Corruption): Buffer {
  const req = decodeRequest('traces', traceRequest([id])).unwrap();
  const span = req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
  if (corruption === 'short-trace-id') span.traceId = span.traceId.subarray(0, 3);
  // Our encoder refuses over-deep values: that span goes by hand, as a second resource_spans (repeated fields concatenate).
  const deep = corruption === 'deep-nesting' ? deepSpanRequest(span.traceId, span.spanId) : Buffer.alloc(0);
  const bytes = Buffer.concat([encodeRequest('traces', req), deep]);
  if (corruption === 'invalid-utf8') {
    if (!/^[ -~]{4}$/.test(id)) throw new Error('invalid-utf8 needs a 4-character ASCII id');
    const at = bytes.indexOf(Buffer.from(id));
    bytes.set([0xff, 0xfe, 0xfd, 0xfc], at);
  }
  return bytes;
}

/** resource_spans { scope_spans { spans { trace_id, span_id, name, attributes { key, value: 70 nested array_values } } } } */
function deepSpanRequest(traceId: Uint8Array, spanId: Uint8Array): Buffer {
  let value = len(1, Buffer.from('bottom')); // AnyValue.string_value
  for (let i = 0; i < 70; i++) value = len(5, len(1, value)); // AnyValue.array_value { values }
  const attribute = Buffer.concat([len(1, Buffer.from('deep')), len(2, value)]);
  const spanBytes = Buffer.concat([
    len(1, traceId),
    len(2, spanId),
    len(5, Buffer.from('deep')),
    len(9, attribute),
  ]);
  return len(1, len(2, len(2, spanBytes)));
}

/** A length-delimited protobuf field. */
function len(field: number, content: Uint8Array): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(content.length), content]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
