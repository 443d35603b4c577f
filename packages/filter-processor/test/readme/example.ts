import { createFilterProcessor } from '@otlp-kafka/filter-processor';
import { createLoadGenerator, createMemorySink } from '@otlp-kafka/testkit';

const sink = createMemorySink();
const filter = createFilterProcessor({
  traces: { span: ['attributes["http.route"] == "/healthz"', 'IsMatch(name, "^internal\\\\.")'] },
  logs: { logRecord: ['severity_number < SEVERITY_NUMBER_INFO'] },
})(sink);
await sink.start();
await filter.start();

const load = createLoadGenerator({
  itemsPerRequest: 4,
  spanName: (i) => (i % 4 === 3 ? 'internal.tick' : 'GET'),
  spanAttributes: { 'http.route': '/cart' },
});
const outcome = await filter.consume(load.next('traces'));
console.log(outcome.isOk(), sink.items); // true 3: the internal.tick span was dropped
await filter.shutdown();
