import { describe, expect, it } from 'vitest';
import { outcomeKind, refusalOf } from '@otlp-kafka/core';
import { createBatch, encodeRequest, trustedBatch } from '@otlp-kafka/pdata';
import { createCountingSink, createLoadGenerator, itemIds } from '@otlp-kafka/testkit';

describe('createCountingSink', () => {
  it('counts every item of every signal by id: exact when all arrived once', async () => {
    const g = createLoadGenerator({ signals: { traces: 1, metrics: 1, logs: 1 }, itemsPerRequest: 20 });
    const sink = createCountingSink();
    await sink.start();
    for (let i = 0; i < 9; i++) expect(outcomeKind(await sink.consume(g.next()))).toBe('ok');
    const r = sink.report(g);
    expect(r).toMatchObject({
      sent: 180,
      delivered: 180,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      deliveries: 180,
      exact: true,
    });
    expect(sink.uniqueItems).toBe(180);
    const bySignal = sink.bySignal;
    expect(bySignal.traces + bySignal.metrics + bySignal.logs).toBe(180);
  });

  it('reports lost, duplicated and unexpected ids', async () => {
    const g = createLoadGenerator({ itemsPerRequest: 3 });
    const sink = createCountingSink();
    await sink.start();
    const first = g.generate('logs');
    g.generate('logs'); // generated, never sent: lost
    await sink.consume(first.batch);
    await sink.consume(first.batch); // twice: duplicated
    const stranger = createLoadGenerator({ itemsPerRequest: 2, idPrefix: 'x-' }).generate('logs');
    await sink.consume(stranger.batch);
    const r = sink.report(g);
    expect(r.sent).toBe(6);
    expect(r.delivered).toBe(3);
    expect(r.lost).toBe(3);
    expect(r.lostIds).toEqual(g.ids().slice(3));
    expect(r.duplicatedIds).toEqual([...first.ids]);
    expect([...r.unexpectedIds].sort()).toEqual([...stranger.ids].sort());
    expect(r.deliveries).toBe(8);
    expect(r.exact).toBe(false);
    expect(sink.count(first.ids[0]!)).toBe(2);
  });

  it('without expected ids reports what it saw', async () => {
    const g = createLoadGenerator({ itemsPerRequest: 4 });
    const sink = createCountingSink();
    await sink.start();
    const b = g.next('metrics');
    await sink.consume(b);
    await sink.consume(b);
    const r = sink.report();
    expect(r).toMatchObject({ sent: 4, delivered: 4, lost: 0, duplicated: 4, deliveries: 8 });
  });

  it('counts only accepted items: refused calls count nothing, partial drops the last items', async () => {
    const g = createLoadGenerator({ itemsPerRequest: 10 });
    const sink = createCountingSink();
    await sink.start();
    sink.failNext('retryable');
    const refused = g.generate('traces');
    expect(outcomeKind(await sink.consume(refused.batch))).toBe('retryable');
    sink.failNext({ kind: 'partial', rejectedItems: 4 });
    const part = g.generate('traces');
    expect(outcomeKind(await sink.consume(part.batch))).toBe('partial');
    const r = sink.report(g);
    expect(r.delivered).toBe(6);
    expect(r.lostIds).toEqual([...refused.ids, ...part.ids.slice(6)]);
    expect(sink.items).toBe(6);
  });

  it('answers permanent for bytes it cannot decode', async () => {
    const sink = createCountingSink();
    await sink.start();
    const bad = trustedBatch('traces', new Uint8Array([0x0a, 0x05, 0x01]), 1);
    const out = await sink.consume(bad);
    expect(outcomeKind(out)).toBe('permanent');
    expect(refusalOf(out)?.message).toMatch(/counting-sink: /);
    expect(sink.items).toBe(0);
  });

  it('counts items without an id as unidentified', async () => {
    const bytes = encodeRequest('logs', {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: 1n,
                  observedTimeUnixNano: 1n,
                  severityNumber: 9,
                  severityText: '',
                  attributes: [],
                  droppedAttributesCount: 0,
                  flags: 0,
                  traceId: new Uint8Array(0),
                  spanId: new Uint8Array(0),
                  eventName: '',
                },
              ],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    });
    const batch = createBatch('logs', bytes).unwrap();
    expect(itemIds(batch).unwrap()).toEqual(['']);
    const sink = createCountingSink();
    await sink.start();
    await sink.consume(batch);
    expect(sink.report()).toMatchObject({ unidentified: 1, exact: false });
  });

  it('waitForIds resolves once every id arrived', async () => {
    const g = createLoadGenerator({ itemsPerRequest: 5 });
    const a = g.next();
    const b = g.next();
    const sink = createCountingSink();
    await sink.start();
    let done = false;
    const waiting = sink.waitForIds(g).then(() => (done = true));
    await sink.consume(a);
    expect(done).toBe(false);
    await sink.consume(b);
    await waiting;
    expect(done).toBe(true);
  });

  it('clear starts the count over', async () => {
    const g = createLoadGenerator({ itemsPerRequest: 5 });
    const sink = createCountingSink();
    await sink.start();
    await sink.consume(g.next());
    sink.clear();
    expect(sink.report()).toMatchObject({ sent: 0, deliveries: 0 });
  });
});
