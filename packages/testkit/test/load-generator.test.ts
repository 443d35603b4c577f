import { describe, expect, it } from 'vitest';
import { decodeRequest, type RequestOf } from '@otlp-kafka/pdata';
import { createLoadGenerator, itemIds } from '@otlp-kafka/testkit';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('createLoadGenerator', () => {
  it('is deterministic: the same options give the same bytes', () => {
    const a = createLoadGenerator({ seed: 7, signals: { traces: 1, metrics: 1, logs: 1 } });
    const b = createLoadGenerator({ seed: 7, signals: { traces: 1, metrics: 1, logs: 1 } });
    for (let i = 0; i < 12; i++) {
      const x = a.next();
      const y = b.next();
      expect(x.signal).toBe(y.signal);
      expect(Buffer.from(x.bytes).equals(Buffer.from(y.bytes))).toBe(true);
    }
  });

  it('gives other ids for another seed or prefix', () => {
    const ids = (o: { seed?: number; idPrefix?: string }) => {
      const g = createLoadGenerator(o);
      for (const s of ['traces', 'metrics', 'logs'] as const) g.next(s);
      return g.ids();
    };
    const base = new Set(ids({ seed: 1 }));
    for (const id of ids({ seed: 2 })) expect(base.has(id)).toBe(false);
    for (const id of ids({ seed: 1, idPrefix: 'other-' })) expect(base.has(id)).toBe(false);
  });

  it.each(['traces', 'metrics', 'logs'] as const)(
    '%s: unique ids that match what the batch carries',
    (signal) => {
      const g = createLoadGenerator({ itemsPerRequest: 37, seed: 3 });
      const all: string[] = [];
      for (let i = 0; i < 20; i++) {
        const { batch, ids } = g.generate(signal);
        expect(batch.signal).toBe(signal);
        expect(batch.itemCount).toBe(37);
        expect(itemIds(batch).unwrap()).toEqual(ids);
        all.push(...ids);
      }
      expect(new Set(all).size).toBe(740);
      expect(g.ids(signal)).toEqual(all);
      expect(g.counts[signal]).toBe(740);
      expect(g.requests).toBe(20);
    },
  );

  it('spreads items over resources round-robin and adds the payload attribute', () => {
    const g = createLoadGenerator({
      resources: 3,
      resourcesPerRequest: 2,
      itemsPerRequest: 5,
      attributeBytes: 100,
    });
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const req = g.generate('traces').request;
      expect(req.resourceSpans.map((r) => r.scopeSpans[0]!.spans.length)).toEqual([3, 2]);
      for (const rs of req.resourceSpans) {
        names.push(rs.resource!.attributes.find((a) => a.key === 'service.name')!.value!.stringValue!);
        for (const span of rs.scopeSpans[0]!.spans) {
          const payload = span.attributes.find((a) => a.key === 'test.payload');
          expect(payload?.value?.stringValue).toHaveLength(100);
        }
      }
    }
    expect(names).toEqual(['svc-0', 'svc-1', 'svc-2', 'svc-0', 'svc-1', 'svc-2']);
  });

  it('attributeBytes 0 leaves the payload out and makes smaller requests', () => {
    const small = createLoadGenerator({ attributeBytes: 0 }).next('logs');
    const large = createLoadGenerator({ attributeBytes: 500 }).next('logs');
    expect(large.bytes.length - small.bytes.length).toBeGreaterThan(100 * 500);
    const req = decodeRequest('logs', small.bytes).unwrap();
    expect(req.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.attributes.map((a) => a.key)).toEqual([
      'test.id',
    ]);
  });

  it('builds traces of spansPerTrace spans: one root, children pointing at it', () => {
    const g = createLoadGenerator({ itemsPerRequest: 12, spansPerTrace: 4 });
    const spans = g.generate('traces').request.resourceSpans[0]!.scopeSpans[0]!.spans;
    const traces = new Map<string, typeof spans>();
    for (const s of spans) traces.set(hex(s.traceId), [...(traces.get(hex(s.traceId)) ?? []), s]);
    expect(traces.size).toBe(3);
    for (const group of traces.values()) {
      expect(group).toHaveLength(4);
      const [root, ...children] = group;
      expect(root!.parentSpanId).toHaveLength(0);
      for (const c of children) expect(hex(c.parentSpanId)).toBe(hex(root!.spanId));
    }
    for (const s of spans) {
      expect(s.traceId).toHaveLength(16);
      expect(s.spanId).toHaveLength(8);
      expect(s.endTimeUnixNano).toBeGreaterThan(s.startTimeUnixNano);
    }
  });

  it('log records carry unique trace and span ids of their own', () => {
    const g = createLoadGenerator({ itemsPerRequest: 50 });
    const spanIds = new Set(
      g.generate('traces').request.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => hex(s.spanId)),
    );
    const records = g.generate('logs').request.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    const traceIds = new Set(records.map((r) => hex(r.traceId)));
    expect(traceIds.size).toBe(50);
    for (const r of records) {
      expect(r.traceId).toHaveLength(16);
      expect(r.spanId).toHaveLength(8);
      expect(spanIds.has(hex(r.spanId))).toBe(false);
      expect(r.body?.stringValue).toContain('log record');
    }
  });

  it('metrics rotate gauge, sum and histogram with dataPointsPerMetric points each', () => {
    const g = createLoadGenerator({ itemsPerRequest: 25, dataPointsPerMetric: 10 });
    const req: RequestOf<'metrics'> = g.generate('metrics').request;
    const metrics = req.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    expect(metrics.map((m) => m.name)).toEqual(['test.gauge', 'test.sum', 'test.histogram']);
    expect(metrics[0]!.gauge!.dataPoints).toHaveLength(10);
    expect(metrics[1]!.sum!.dataPoints).toHaveLength(10);
    expect(metrics[2]!.histogram!.dataPoints).toHaveLength(5);
  });

  it('picks signals by weight and never one with weight 0', () => {
    const g = createLoadGenerator({ signals: { traces: 3, logs: 1, metrics: 0 }, itemsPerRequest: 1 });
    const seen = { traces: 0, metrics: 0, logs: 0 };
    for (let i = 0; i < 400; i++) seen[g.next().signal]++;
    expect(seen.metrics).toBe(0);
    expect(seen.traces).toBeGreaterThan(seen.logs);
    expect(seen.logs).toBeGreaterThan(0);
  });

  it('puts the metadata on every batch and can skip tracking ids', () => {
    const g = createLoadGenerator({ metadata: { topic: 't1' }, trackIds: false });
    expect(g.next().metadata).toEqual({ topic: 't1' });
    expect(g.ids()).toEqual([]);
    expect(g.counts.traces).toBe(100);
  });

  it('validates its options', () => {
    expect(() => createLoadGenerator({ itemsPerRequest: 0 })).toThrow(/itemsPerRequest/);
    expect(() => createLoadGenerator({ signals: { traces: 0 } })).toThrow(/at least one signal/);
    expect(() => createLoadGenerator({ signals: { spans: 1 } as never })).toThrow(/signals/);
  });
});

describe('createLoadGenerator span names and attributes', () => {
  const spansOf = (req: RequestOf<'traces'>) =>
    req.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));

  it('keeps the default names without the options: GET /load for roots, step-<hex> for children', () => {
    const spans = spansOf(
      createLoadGenerator({ itemsPerRequest: 10, spansPerTrace: 5 }).generate('traces').request,
    );
    expect(spans.filter((s) => s.parentSpanId.length === 0).map((s) => s.name)).toEqual([
      'GET /load',
      'GET /load',
    ]);
    for (const s of spans.filter((s) => s.parentSpanId.length > 0)) expect(s.name).toMatch(/^step-[0-9a-f]$/);
    for (const s of spans) expect(s.attributes.map((a) => a.key)).toEqual(['test.payload']);
  });

  it('names every span by a fixed name, or by its index across requests, in the encoded bytes too', () => {
    const fixed = createLoadGenerator({ itemsPerRequest: 3, spanName: 'checkout' }).generate('traces');
    expect(spansOf(decodeRequest('traces', fixed.batch.bytes).unwrap()).map((s) => s.name)).toEqual([
      'checkout',
      'checkout',
      'checkout',
    ]);

    const g = createLoadGenerator({ itemsPerRequest: 3, spanName: (i) => `op-${i}` });
    const names = [g.generate('traces'), g.generate('traces')].flatMap(({ request, batch }) => {
      expect(spansOf(decodeRequest('traces', batch.bytes).unwrap()).map((s) => s.name)).toEqual(
        spansOf(request).map((s) => s.name),
      );
      return spansOf(request).map((s) => s.name);
    });
    expect(names).toEqual(['op-0', 'op-1', 'op-2', 'op-3', 'op-4', 'op-5']);
  });

  it('adds spanAttributes to every span after test.payload, typed by value; ids stay unique', () => {
    const g = createLoadGenerator({
      itemsPerRequest: 4,
      spanAttributes: { 'http.route': '/cart', 'http.status_code': 200, ratio: 0.5, sampled: true },
    });
    const { batch, ids } = g.generate('traces');
    const spans = spansOf(decodeRequest('traces', batch.bytes).unwrap());
    expect(spans).toHaveLength(4);
    for (const s of spans) {
      expect(s.attributes.map((a) => a.key)).toEqual([
        'test.payload',
        'http.route',
        'http.status_code',
        'ratio',
        'sampled',
      ]);
      expect(s.attributes.slice(1).map((a) => a.value)).toEqual([
        { stringValue: '/cart' },
        { intValue: 200n },
        { doubleValue: 0.5 },
        { boolValue: true },
      ]);
    }
    expect(itemIds(batch).unwrap()).toEqual(ids);
    // Only spans: logs and metrics are as without the option.
    const plain = createLoadGenerator({ itemsPerRequest: 4 });
    plain.next('traces'); // the same steps as g: its clock and random stream advance alike
    for (const signal of ['metrics', 'logs'] as const)
      expect(Buffer.from(g.next(signal).bytes).equals(Buffer.from(plain.next(signal).bytes))).toBe(true);
  });

  it('validates spanName and spanAttributes', () => {
    expect(() => createLoadGenerator({ spanName: '' })).toThrow(/spanName/);
    expect(() => createLoadGenerator({ spanName: 5 as never })).toThrow(/spanName/);
    expect(() => createLoadGenerator({ spanAttributes: { x: Number.NaN } })).toThrow(/spanAttributes/);
    expect(() => createLoadGenerator({ spanAttributes: { x: null as never } })).toThrow(/spanAttributes/);
    const g = createLoadGenerator({ spanName: (() => 7) as never });
    expect(() => g.next('traces')).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringMatching(/spanName\(0\)/),
      }),
    );
  });
});
