import { createPipeline, createPushReceiver, outcomeKind } from '@otlp-kafka/core';
import { createBatch, decodeRequest, encodeRequest, type Span } from '@otlp-kafka/pdata';
import { createMemorySink } from '@otlp-kafka/testkit';
import { describe, expect, it } from 'vitest';
import { dropHealthChecks } from '../../../../examples/custom-processor.js';

function span(i: number, route: string): Span {
  return {
    traceId: new Uint8Array(16).fill(i),
    spanId: new Uint8Array(8).fill(i),
    traceState: '',
    parentSpanId: new Uint8Array(0),
    flags: 0,
    name: `GET ${route}`,
    kind: 2,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes: [{ key: 'http.route', value: { stringValue: route } }],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { message: '', code: 0 },
  };
}

const request = (spans: Span[]) =>
  createBatch(
    'traces',
    encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans, schemaUrl: '' }], schemaUrl: '' }] }),
  ).unwrap();

describe('examples/custom-processor.ts', () => {
  it('drops health checks, tags the rest, and answers ok for a batch of only health checks', async () => {
    const receiver = createPushReceiver();
    const sink = createMemorySink();
    const pipeline = createPipeline({
      pipelines: [
        { signal: 'traces', receivers: [receiver], processors: [dropHealthChecks], exporters: [sink] },
      ],
    });
    await pipeline.start();
    const mixed = await receiver.consume(request([span(1, '/healthz'), span(2, '/cart'), span(3, '/pay')]));
    const onlyHealth = await receiver.consume(request([span(4, '/healthz')]));
    expect([outcomeKind(mixed), outcomeKind(onlyHealth)]).toEqual(['ok', 'ok']);
    const delivered = sink.batches.flatMap((b) =>
      decodeRequest('traces', b.bytes)
        .unwrap()
        .resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)),
    );
    expect(delivered.map((s) => [s.name, s.attributes.map((a) => a.key)])).toEqual([
      ['GET /cart', ['http.route', 'pipeline.processed']],
      ['GET /pay', ['http.route', 'pipeline.processed']],
    ]);
    expect(sink.batches).toHaveLength(1);
    await pipeline.shutdown();
  });
});
