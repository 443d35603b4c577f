import { afterEach, describe, expect, it } from 'vitest';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { startOtlpBackend, type OtlpBackend } from '@otlp-kafka/testkit';

let backend: OtlpBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

/** Ends `n` spans through the SDK and returns their span ids. */
async function emit(exporter: SpanExporter, n: number): Promise<string[]> {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('testkit-test');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const span = tracer.startSpan(`op-${i}`);
    ids.push(span.spanContext().spanId);
    span.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
  return ids;
}

describe('startOtlpBackend with the OpenTelemetry JS SDK exporters', () => {
  it.each([
    ['http/protobuf', (b: OtlpBackend) => new ProtoExporter({ url: `${b.url}/v1/traces` })],
    ['http/json', (b: OtlpBackend) => new JsonExporter({ url: `${b.url}/v1/traces` })],
    ['grpc', (b: OtlpBackend) => new GrpcExporter({ url: `http://${b.grpcAddress}` })],
  ])('%s: every span arrives and is counted by its id', async (_name, make) => {
    backend = await startOtlpBackend();
    const ids = await emit(make(backend), 5);
    expect(backend.report(ids)).toMatchObject({ sent: 5, delivered: 5, duplicated: 0, exact: true });
  });
});
