import { noopLogger, outcomeKind, refusalOf, type Consumer } from '@otlp-kafka/core';
import { trustedBatch, type Batch } from '@otlp-kafka/pdata';
import { createMemorySink } from '@otlp-kafka/testkit';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';
import { describe, expect, it } from 'vitest';
import { createFilterProcessor, filterProcessorFactory, type FilterProcessorOptions } from '../src/index.js';
import { logs, metrics, names, traces } from './helpers.js';

const spans = traces(
  [
    { 'service.name': { stringValue: 'cart' } },
    'http',
    [
      { name: 'GET /healthz', kind: 2, attrs: { 'http.route': { stringValue: '/healthz' } } },
      {
        name: 'GET /cart',
        kind: 2,
        status: 2,
        attrs: { 'http.route': { stringValue: '/cart' }, 'http.status_code': { intValue: 500n } },
      },
      {
        name: 'GET /pay',
        kind: 2,
        attrs: { 'http.route': { stringValue: '/pay' }, 'http.status_code': { intValue: 200n } },
      },
    ],
  ],
  [{ 'service.name': { stringValue: 'db' } }, 'pg', [{ name: 'SELECT', kind: 3 }]],
);

/** Runs one batch through a filter processor into a memory sink; returns what reached the sink. */
async function run(options: FilterProcessorOptions, batch: Batch) {
  const sink = createMemorySink();
  const p = createFilterProcessor(options)(sink as Consumer);
  await sink.start();
  await p.start();
  const outcome = await p.consume(batch);
  await p.shutdown();
  // Lazily: a batch passed on unfiltered (error_mode ignore) does not decode.
  return {
    outcome,
    get left() {
      return sink.batches.flatMap(names);
    },
    calls: sink.callsMade,
  };
}

describe('filter processor: OTTL conditions', () => {
  const cases: [string, string[]][] = [
    ['attributes["http.route"] == "/healthz"', ['GET /cart', 'GET /pay', 'SELECT']],
    ['name != "SELECT" and attributes["http.status_code"] < 400', ['GET /healthz', 'GET /cart', 'SELECT']],
    ['kind == SPAN_KIND_CLIENT or status.code == STATUS_CODE_ERROR', ['GET /healthz', 'GET /pay']],
    ['resource.attributes["service.name"] == "db"', ['GET /healthz', 'GET /cart', 'GET /pay']],
    ['IsMatch(name, "^GET /(healthz|pay)$")', ['GET /cart', 'SELECT']],
    ['HasPrefix(name, "GET") and not (attributes["http.status_code"] >= 500)', ['GET /cart', 'SELECT']],
    ['attributes["http.status_code"] == nil', ['GET /cart', 'GET /pay']],
    ['instrumentation_scope.name == "pg"', ['GET /healthz', 'GET /cart', 'GET /pay']],
    ['attributes["http.status_code"] == 500.0', ['GET /healthz', 'GET /pay', 'SELECT']],
  ];
  for (const [condition, left] of cases)
    it(`span: ${condition}`, async () => {
      const r = await run({ traces: { span: [condition] } }, spans);
      expect(outcomeKind(r.outcome)).toBe('ok');
      expect(r.left).toEqual(left);
    });

  it('log_record: severity, body and attributes', async () => {
    const batch = logs({}, [
      { body: 'debug noise', severity: 5 },
      { body: 'disk full', severity: 17, attrs: { 'log.file': { stringValue: 'app.log' } } },
      { body: 'user signed in', severity: 9 },
    ]);
    expect(
      (await run({ logs: { logRecord: ['severity_number < SEVERITY_NUMBER_INFO'] } }, batch)).left,
    ).toEqual(['disk full', 'user signed in']);
    expect(
      (
        await run(
          { logs: { logRecord: ['IsMatch(body, "signed")', 'attributes["log.file"] != nil'] } },
          batch,
        )
      ).left,
    ).toEqual(['debug noise']);
  });

  it('metric and datapoint contexts; a metric left without points is removed', async () => {
    const batch = metrics({}, [
      ['http.requests', [{ route: { stringValue: '/a' } }, { route: { stringValue: '/healthz' } }]],
      ['process.cpu', [{}]],
    ]);
    expect((await run({ metrics: { metric: ['name == "process.cpu"'] } }, batch)).left).toEqual([
      'http.requests',
      'http.requests',
    ]);
    expect(
      (
        await run(
          {
            metrics: {
              datapoint: ['attributes["route"] == "/healthz"', 'metric.type == METRIC_DATA_TYPE_SUM'],
            },
          },
          batch,
        )
      ).left,
    ).toEqual(['http.requests', 'process.cpu']);
    expect(
      (await run({ metrics: { datapoint: ['metric.type == METRIC_DATA_TYPE_GAUGE'] } }, batch)).left,
    ).toEqual([]);
  });
});

describe('filter processor: behaviour', () => {
  it('a batch left with nothing is answered ok and not passed on; the drops are counted', async () => {
    const meter = createTestMeter();
    const r = await run(
      { traces: { span: ['true'] }, name: 'filter/all', meterProvider: meter.meterProvider },
      spans,
    );
    expect([outcomeKind(r.outcome), r.calls]).toEqual(['ok', 0]);
    const m = await meter.read();
    expect(m.get('otelcol_processor_filter_spans.filtered')).toEqual([
      { attributes: { filter: 'filter/all' }, value: 4 },
    ]);
  });

  it('signals without a filter and unchanged batches pass as they are', async () => {
    const sink = createMemorySink();
    const p = createFilterProcessor({ logs: { logRecord: ['severity_number < 9'] } })(sink);
    await sink.start();
    await p.start();
    await p.consume(spans);
    expect(sink.batches[0]).toBe(spans);
    await p.shutdown();
  });

  it('legacy include / exclude, together with conditions', async () => {
    const r = await run(
      {
        traces: {
          include: { matchType: 'strict', services: ['cart'] },
          exclude: { matchType: 'regexp', spanNames: ['healthz'] },
          span: ['attributes["http.status_code"] == 200'],
        },
      },
      spans,
    );
    expect(r.left).toEqual(['GET /cart']);
  });

  it('error_mode: unreadable bytes are refused for good by default, passed on with ignore', async () => {
    const bad = trustedBatch('traces', Uint8Array.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x28, 0x01]), 1);
    const refused = await run({ traces: { span: ['name == "x"'] } }, bad);
    expect(outcomeKind(refused.outcome)).toBe('permanent');
    expect(refusalOf(refused.outcome)?.message).toMatch(
      /^filter-processor filter: cannot read the batch: .*wire type/,
    );
    const ignored = await run({ traces: { span: ['name == "x"'] }, errorMode: 'ignore' }, bad);
    expect([outcomeKind(ignored.outcome), ignored.calls]).toEqual(['ok', 1]);
  });

  it('refuses bad conditions at construction, naming the condition and the position', () => {
    const make = (span: string[]) => () => createFilterProcessor({ traces: { span } });
    expect(make(['name == '])).toThrow(/traces\.span\[0\] "name == ": expected a value at position 8/);
    expect(make(['nmae == "x"'])).toThrow(/unknown path "nmae" in the span context \(known: .*name/);
    expect(make(['attributes == "x"'])).toThrow(/attributes needs a key/);
    expect(make(['IsMatch(name, "(")'])).toThrow(/invalid regular expression/);
    expect(make(['Lowercase(name, "x")'])).toThrow(/unknown function Lowercase/);
    expect(make(['name == "x" name'])).toThrow(/expected "and", "or" or the end at position 12/);
    expect(make(['name == "x'])).toThrow(/unterminated string/);
    expect(make([''])).toThrow(/traces\.span\[0\] must be a non-empty OTTL condition/);
    expect(() => createFilterProcessor({ errorMode: 'loud' as never })).toThrow(
      /errorMode must be propagate, ignore or silent/,
    );
  });
});

describe('filterProcessorFactory', () => {
  const context = { id: 'filter/ottl', signals: ['traces', 'logs'] as const, logger: noopLogger, env: {} };

  it('builds from the Collector keys: OTTL per context and the legacy spans/logs include/exclude', async () => {
    const config = filterProcessorFactory.configSchema.parse({
      error_mode: 'ignore',
      traces: { span: ['attributes["http.route"] == "/healthz"'] },
      spans: { exclude: { match_type: 'strict', span_names: ['SELECT'] } },
      logs: { log_record: ['severity_number < SEVERITY_NUMBER_INFO'] },
    });
    const sink = createMemorySink();
    const p = filterProcessorFactory.create(config, context)(sink);
    await sink.start();
    await p.start();
    await p.consume(spans);
    expect(sink.batches.flatMap(names)).toEqual(['GET /cart', 'GET /pay']);
    await p.shutdown();
  });

  it('refuses an unsupported context and camelCase keys, naming them', () => {
    const r = filterProcessorFactory.configSchema.safeParse({ traces: { spanevent: ['name == "x"'] } });
    expect(r.error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['spanevent'],
      path: ['traces'],
    });
    const c = filterProcessorFactory.configSchema.safeParse({ logs: { logRecord: [] } });
    expect(c.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['logRecord'] });
  });
});
