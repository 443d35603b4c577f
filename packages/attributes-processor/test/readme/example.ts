import { createAttributesProcessor } from '@otlp-kafka/attributes-processor';
import { decodeRequest, withMetadata } from '@otlp-kafka/pdata';
import { createLoadGenerator, createMemorySink } from '@otlp-kafka/testkit';

const sink = createMemorySink();
const scrub = createAttributesProcessor({
  actions: [
    { key: 'user.email', action: 'hash' },
    { action: 'delete', pattern: '^http\\.request\\.header\\.' },
    { key: 'tenant', action: 'insert', fromContext: 'metadata.x-tenant' },
    { key: 'http.status_code', action: 'convert', convertedType: 'int' },
  ],
  exclude: { matchType: 'strict', spanNames: ['GET /healthz'] },
})(sink);
await sink.start();
await scrub.start();

const load = createLoadGenerator({
  itemsPerRequest: 2,
  attributeBytes: 0,
  spanName: (i) => (i === 0 ? 'GET /cart' : 'GET /healthz'),
  spanAttributes: {
    'user.email': 'a@example.com',
    'http.request.header.cookie': 'c',
    'http.status_code': '200',
  },
});
const request = withMetadata(load.next('traces'), { headers: { 'x-tenant': ['acme'] } });
const outcome = await scrub.consume(request);
const spans = decodeRequest('traces', sink.batches[0]!.bytes).unwrap().resourceSpans[0]!.scopeSpans[0]!.spans;
for (const span of spans) console.log(span.name, span.attributes.map((a) => a.key).join(' '));
// GET /cart user.email http.status_code tenant   (user.email is now a SHA-1 hex, http.status_code the int 200)
// GET /healthz user.email http.request.header.cookie http.status_code   (excluded: left as it is)
console.log(outcome.isOk()); // true
await scrub.shutdown();
