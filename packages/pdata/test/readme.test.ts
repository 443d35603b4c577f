import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBatch, decodeRequest, encodeRequest, type Span } from '@otlp-kafka/pdata';
import { failedSpans, scrub } from './readme/item-view.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function span(name: string, route: string, code: number): Span {
  return {
    traceId: new Uint8Array(16).fill(1),
    spanId: new Uint8Array(8).fill(2),
    traceState: '',
    parentSpanId: new Uint8Array(0),
    flags: 0,
    name,
    kind: 2,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes: [
      { key: 'http.route', value: { stringValue: route } },
      { key: 'http.request.header.authorization', value: { stringValue: 'Bearer s3cret' } },
    ],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { message: '', code },
  };
}

describe('packages/pdata/README.md', () => {
  it('shows exactly the item-view example this test runs', () => {
    const source = readFileSync(new URL('./readme/item-view.ts', import.meta.url), 'utf8');
    const block = /<!-- example: item-view -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block, 'the README marks its example with <!-- example: item-view -->').not.toBeNull();
    expect(block![1]).toBe(source);
  });

  it('the example drops, tags and scrubs spans on the wire', () => {
    const bytes = encodeRequest('traces', {
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }],
            droppedAttributesCount: 0,
            entityRefs: [],
          },
          scopeSpans: [
            {
              spans: [span('GET /healthz', '/healthz', 0), span('GET /cart', '/cart', 2)],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    });
    const batch = createBatch('traces', bytes).unwrap();
    expect(failedSpans(batch)).toEqual(['cart: GET /cart']);
    const out = scrub(batch);
    if (out instanceof Error) throw out;
    expect(out.itemCount).toBe(1);
    const spans = decodeRequest('traces', out.bytes).unwrap().resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans.map((s) => [s.name, s.attributes])).toEqual([
      [
        'GET /cart',
        [
          { key: 'http.route', value: { stringValue: '/cart' } },
          { key: 'deployment.environment', value: { stringValue: 'prod' } },
        ],
      ],
    ]);
  });
});
