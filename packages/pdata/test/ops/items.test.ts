import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatch, trustedBatch } from '../../src/batch.js';
import { decodeRequest, encodeRequest } from '../../src/codec/request.js';
import { countItems } from '../../src/ops/count.js';
import { editItems, filterItems, forEachItem } from '../../src/ops/items.js';
import type { AnyValue, KeyValue, RequestOf } from '../../src/model.js';
import type { Signal } from '../../src/signal.js';
import { requests } from '../fixtures/arbitraries.js';

/** Applies `drop` / `edit` to the decoded model the way the wire walk must, removing emptied containers. */
function applyToModel<S extends Signal>(
  signal: S,
  req: RequestOf<S>,
  decide: (i: number) => { keep: boolean; set?: [string, AnyValue]; remove?: string },
): void {
  let index = 0;
  const visit = <T>(
    items: T[],
    attrsOf: (t: T) => { list: KeyValue[] },
  ): { kept: number; dropped: number } => {
    let dropped = 0;
    for (let i = 0; i < items.length;) {
      const d = decide(index++);
      if (!d.keep) {
        items.splice(i, 1);
        dropped++;
        continue;
      }
      const a = attrsOf(items[i]!);
      if (d.remove !== undefined) {
        const key = d.remove === FIRST ? a.list[0]?.key : d.remove;
        if (key !== undefined) a.list = a.list.filter((kv) => kv.key !== key);
      }
      if (d.set) {
        const [key, value] = d.set;
        const first = a.list.findIndex((kv) => kv.key === key);
        if (first < 0) a.list.push({ key, value });
        else
          a.list = a.list
            .filter((kv, j) => kv.key !== key || j === first)
            .map((kv) => (kv.key === key ? { key, value } : kv));
      }
      i++;
    }
    return { kept: items.length, dropped };
  };
  /** Removes containers that lost items and have none left. */
  const prune = <T>(list: T[], inner: (t: T) => { kept: number; dropped: number }) => {
    let kept = 0;
    let dropped = 0;
    for (let i = 0; i < list.length;) {
      const r = inner(list[i]!);
      kept += r.kept;
      dropped += r.dropped;
      if (r.dropped > 0 && r.kept === 0) list.splice(i, 1);
      else i++;
    }
    return { kept, dropped };
  };
  const attrHolder = (o: { attributes: KeyValue[] }) => {
    const h = {
      get list() {
        return o.attributes;
      },
      set list(v: KeyValue[]) {
        o.attributes = v;
      },
    };
    return h;
  };
  if (signal === 'traces') {
    const r = req as RequestOf<'traces'>;
    prune(r.resourceSpans, (rs) => prune(rs.scopeSpans, (ss) => visit(ss.spans, attrHolder)));
  } else if (signal === 'logs') {
    const r = req as RequestOf<'logs'>;
    prune(r.resourceLogs, (rl) => prune(rl.scopeLogs, (sl) => visit(sl.logRecords, attrHolder)));
  } else {
    const r = req as RequestOf<'metrics'>;
    prune(r.resourceMetrics, (rm) =>
      prune(rm.scopeMetrics, (sm) =>
        prune(sm.metrics, (m) => {
          const data = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
          if (!data) return { kept: 0, dropped: 0 };
          return visit(data.dataPoints as { attributes: KeyValue[] }[], attrHolder);
        }),
      ),
    );
  }
}

/** Stands for the key of the item's first attribute. */
const FIRST = '\u0000first';

const SIGNALS: Signal[] = ['traces', 'logs', 'metrics'];

describe('editItems / filterItems on the wire', () => {
  for (const signal of SIGNALS) {
    it(`${signal}: drops and attribute edits equal the same edits on the decoded request`, () => {
      fc.assert(
        fc.property(
          requests[signal] as fc.Arbitrary<RequestOf<Signal>>,
          fc.array(fc.constantFrom('keep', 'drop', 'set', 'remove', 'both'), { minLength: 1, maxLength: 7 }),
          (req, plan) => {
            const bytes = encodeRequest(signal, req);
            const batch = createBatch(signal, bytes).unwrap();
            const decide = (i: number) => {
              const p = plan[i % plan.length]!;
              return {
                keep: p !== 'drop',
                set:
                  p === 'set' || p === 'both'
                    ? (['edited', { stringValue: `v${i}` }] as [string, AnyValue])
                    : undefined,
                remove: p === 'remove' ? FIRST : p === 'both' ? 'edited' : undefined,
              };
            };
            const out = editItems(batch, (item) => {
              const d = decide(item.index);
              if (d.remove !== undefined) {
                const key = d.remove === FIRST ? item.attributes()[0]?.key : d.remove;
                if (key !== undefined) item.removeAttribute(key);
              }
              if (d.set) item.setAttribute(d.set[0], d.set[1]);
              return d.keep;
            }).unwrap();
            const model = decodeRequest(signal, bytes).unwrap();
            applyToModel(signal, model, decide);
            expect(decodeRequest(signal, out.bytes).unwrap()).toEqual(model);
            expect(out.itemCount).toBe(countItems(signal, out.bytes).unwrap());
            if (plan.every((p) => p === 'keep')) expect(out).toBe(batch);
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it('reads span fields, attributes, resource and scope without decoding', () => {
    const bytes = encodeRequest('traces', {
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }],
            droppedAttributesCount: 0,
            entityRefs: [],
          },
          scopeSpans: [
            {
              scope: { name: 'http', version: '1.2', attributes: [], droppedAttributesCount: 0 },
              spans: [
                span('GET /healthz', 1, { 'http.route': { stringValue: '/healthz' } }),
                span('GET /cart', 2, {
                  'http.route': { stringValue: '/cart' },
                  'http.status_code': { intValue: 500n },
                }),
              ],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    });
    const seen: unknown[] = [];
    forEachItem(createBatch('traces', bytes).unwrap(), (item) => {
      seen.push({
        index: item.index,
        name: item.name(),
        traceId: item.traceId(),
        spanId: item.spanId(),
        kind: item.kind(),
        status: [item.statusCode(), item.statusMessage()],
        start: item.startTimeUnixNano(),
        route: item.attribute('http.route')?.stringValue,
        code: item.attribute('http.status_code')?.intValue,
        missing: item.attribute('nope'),
        service: item.resourceAttribute('service.name')?.stringValue,
        scope: `${item.scopeName()}@${item.scopeVersion()}`,
        severity: item.severityNumber(),
      });
    }).unwrap();
    expect(seen).toEqual([
      {
        index: 0,
        name: 'GET /healthz',
        traceId: '01'.repeat(16),
        spanId: '01'.repeat(8),
        kind: 2,
        status: [2, 'boom'],
        start: 1000n,
        route: '/healthz',
        code: undefined,
        missing: undefined,
        service: 'checkout',
        scope: 'http@1.2',
        severity: 0,
      },
      {
        index: 1,
        name: 'GET /cart',
        traceId: '02'.repeat(16),
        spanId: '02'.repeat(8),
        kind: 2,
        status: [2, 'boom'],
        start: 2000n,
        route: '/cart',
        code: 500n,
        missing: undefined,
        service: 'checkout',
        scope: 'http@1.2',
        severity: 0,
      },
    ]);
  });

  it('filterItems removes a healthz span and the resource of a span-less scope stays out', () => {
    const req = {
      resourceSpans: [
        { scopeSpans: [{ spans: [span('GET /healthz', 1, {})], schemaUrl: '' }], schemaUrl: '' },
        { scopeSpans: [{ spans: [span('GET /cart', 2, {})], schemaUrl: '' }], schemaUrl: '' },
      ],
    };
    const batch = createBatch('traces', encodeRequest('traces', req)).unwrap();
    const out = filterItems(batch, (s) => s.name() !== 'GET /healthz').unwrap();
    expect(out.itemCount).toBe(1);
    const decoded = decodeRequest('traces', out.bytes).unwrap();
    expect(decoded.resourceSpans.length).toBe(1);
    expect(decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe('GET /cart');
    const none = filterItems(batch, () => false).unwrap();
    expect(none.itemCount).toBe(0);
    expect(none.bytes.length).toBe(0);
  });

  it('reads log and data point fields', () => {
    const logs = encodeRequest('logs', {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: 5n,
                  observedTimeUnixNano: 0n,
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: { stringValue: 'disk full' },
                  attributes: [],
                  droppedAttributesCount: 0,
                  flags: 0,
                  traceId: new Uint8Array(16).fill(3),
                  spanId: new Uint8Array(8).fill(4),
                  eventName: 'ev',
                },
              ],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    });
    forEachItem(createBatch('logs', logs).unwrap(), (l) => {
      expect([
        l.severityNumber(),
        l.severityText(),
        l.body(),
        l.timeUnixNano(),
        l.traceId(),
        l.name(),
      ]).toEqual([17, 'ERROR', { stringValue: 'disk full' }, 5n, '03'.repeat(16), 'ev']);
    }).unwrap();
    const metrics = encodeRequest('metrics', {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'http.requests',
                  description: 'requests',
                  unit: '1',
                  metadata: [],
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        attributes: [{ key: 'route', value: { stringValue: '/a' } }],
                        startTimeUnixNano: 1n,
                        timeUnixNano: 2n,
                        asInt: 3n,
                        exemplars: [],
                        flags: 0,
                      },
                    ],
                  },
                },
              ],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    });
    forEachItem(createBatch('metrics', metrics).unwrap(), (p) => {
      expect([
        p.name(),
        p.metricUnit(),
        p.metricDescription(),
        p.metricType(),
        p.timeUnixNano(),
        p.attribute('route'),
      ]).toEqual(['http.requests', '1', 'requests', 'sum', 2n, { stringValue: '/a' }]);
    }).unwrap();
  });

  it('an exception in the callback and hostile bytes are Err values', () => {
    const batch = createBatch(
      'traces',
      encodeRequest('traces', {
        resourceSpans: [{ scopeSpans: [{ spans: [span('x', 1, {})], schemaUrl: '' }], schemaUrl: '' }],
      }),
    ).unwrap();
    const thrown = editItems(batch, () => {
      throw new Error('user bug');
    });
    expect(thrown.isErr() && thrown.error.message).toBe('user bug');
    // A span whose name has the wrong wire type: the structure counts, the name read fails.
    const bad = trustedBatch('traces', Uint8Array.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x28, 0x01]), 1);
    const r = forEachItem(bad, (s) => void s.name());
    expect(r.isErr() && r.error.code).toBe('ERR_PDATA_WIRE_TYPE');
  });
});

function span(name: string, n: number, attrs: Record<string, AnyValue>) {
  return {
    traceId: new Uint8Array(16).fill(n),
    spanId: new Uint8Array(8).fill(n),
    traceState: '',
    parentSpanId: new Uint8Array(0),
    flags: 0,
    name,
    kind: 2,
    startTimeUnixNano: BigInt(n * 1000),
    endTimeUnixNano: BigInt(n * 1000 + 10),
    attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { message: 'boom', code: 2 },
  };
}
