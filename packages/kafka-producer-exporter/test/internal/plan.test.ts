import { requestFromJson, trustedBatch, type Signal } from '@otlp-kafka/pdata';
import { describe, expect, it } from 'vitest';
import { planMessages, RECORD_OVERHEAD_BYTES, type PlanConfig } from '../../src/internal/plan.js';
import {
  gauge,
  hex,
  logIdsIn,
  logRecord,
  logsBatch,
  metricsBatch,
  span,
  spansIn,
  traceId,
  tracesBatch,
} from '../support/data.js';

const TOPICS: Record<Signal, string> = { traces: 't-spans', metrics: 't-metrics', logs: 't-logs' };

function cfg(over: Partial<PlanConfig> = {}): PlanConfig {
  return {
    encoding: 'otlp_proto',
    maxMessageBytes: 1_000_000,
    topicFromAttribute: undefined,
    topicFromMetadataKey: undefined,
    allowedTopics: undefined,
    defaultTopic: (s) => TOPICS[s],
    partitionBy: () => 'none',
    staticHeaders: {},
    headersFromMetadata: [],
    ...over,
  };
}

describe('planMessages', () => {
  it('sends a batch that fits as one unkeyed message carrying the bytes unchanged', () => {
    const batch = tracesBatch([{ attrs: { 'service.name': 'a' }, items: [span(1, 1), span(2, 2)] }]);
    const plan = planMessages(batch, cfg()).unwrap();
    expect(plan.messages).toHaveLength(1);
    const m = plan.messages[0]!;
    expect(m.topic).toBe('t-spans');
    expect(m.key).toBeNull();
    expect(m.headers).toBeUndefined();
    expect(m.items).toBe(2);
    expect(Buffer.compare(m.value, Buffer.from(batch.bytes))).toBe(0);
    expect(m.size).toBe(batch.bytes.length + RECORD_OVERHEAD_BYTES);
    expect(plan.rejectedItems).toBe(0);
  });

  it('uses the topic per signal, and the batch metadata topic over it', () => {
    expect(
      planMessages(logsBatch([{ attrs: {}, items: [logRecord(1)] }]), cfg()).unwrap().messages[0]!.topic,
    ).toBe('t-logs');
    expect(
      planMessages(metricsBatch([{ attrs: {}, items: [gauge('g', 2)] }]), cfg()).unwrap().messages[0]!.topic,
    ).toBe('t-metrics');
    const withMeta = tracesBatch([{ attrs: {}, items: [span(1, 1)] }], { topic: 'from-meta' });
    expect(planMessages(withMeta, cfg()).unwrap().messages[0]!.topic).toBe('from-meta');
  });

  it('routes each resource to the topic named by its attribute, the rest to the fallback topic', () => {
    const batch = tracesBatch(
      [
        { attrs: { 'service.name': 'a', 'kafka.topic': 'topic-a' }, items: [span(1, 1), span(1, 2)] },
        { attrs: { 'service.name': 'b' }, items: [span(2, 3)] },
        { attrs: { 'service.name': 'c', 'kafka.topic': 'topic-c' }, items: [span(3, 4)] },
        { attrs: { 'service.name': 'd', 'kafka.topic': 'from-meta' }, items: [span(4, 5)] },
      ],
      { topic: 'from-meta' },
    );
    const plan = planMessages(batch, cfg({ topicFromAttribute: 'kafka.topic' })).unwrap();
    const byTopic = new Map(
      plan.messages.map((m) => [
        m.topic,
        spansIn(m.value)
          .map((s) => s.service)
          .sort(),
      ]),
    );
    expect(byTopic).toEqual(
      new Map([
        ['topic-a', ['a', 'a']],
        ['from-meta', ['b', 'd']],
        ['topic-c', ['c']],
      ]),
    );
  });

  it('keys trace messages by trace id: every message holds one trace, keyed by its hex id', () => {
    const batch = tracesBatch([
      { attrs: { 'service.name': 'a' }, items: [span(1, 1), span(2, 2), span(1, 3)] },
      { attrs: { 'service.name': 'b' }, items: [span(2, 4), span(3, 5)] },
    ]);
    const plan = planMessages(batch, cfg({ partitionBy: () => 'traceId' })).unwrap();
    expect(plan.messages).toHaveLength(3);
    for (const m of plan.messages) {
      const spans = spansIn(m.value);
      expect(new Set(spans.map((s) => s.trace)).size).toBe(1);
      expect(m.key?.toString()).toBe(spans[0]!.trace);
    }
    const trace2 = plan.messages.find((m) => m.key?.toString() === hex(traceId(2)))!;
    expect(
      spansIn(trace2.value)
        .map((s) => s.service)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(plan.messages.reduce((n, m) => n + m.items, 0)).toBe(5);
  });

  it('keys log messages by trace id, leaving records without one unkeyed', () => {
    const batch = logsBatch([
      { attrs: {}, items: [logRecord(1, 7), logRecord(2), logRecord(3, 7), logRecord(4, 8)] },
    ]);
    const plan = planMessages(batch, cfg({ partitionBy: () => 'traceId' })).unwrap();
    const byKey = new Map(plan.messages.map((m) => [m.key?.toString() ?? null, logIdsIn(m.value).sort()]));
    expect(byKey).toEqual(
      new Map<string | null, string[]>([
        [hex(traceId(7)), ['1', '3']],
        [null, ['2']],
        [hex(traceId(8)), ['4']],
      ]),
    );
  });

  it('keys metric messages by a hash of the resource attributes: the same resource, the same key', () => {
    const batch = metricsBatch([
      { attrs: { 'service.name': 'a' }, items: [gauge('g1', 2)] },
      { attrs: { 'service.name': 'b' }, items: [gauge('g2', 1)] },
    ]);
    const again = metricsBatch([{ attrs: { 'service.name': 'a' }, items: [gauge('g3', 5)] }]);
    const plan = planMessages(batch, cfg({ partitionBy: () => 'resource' })).unwrap();
    const plan2 = planMessages(again, cfg({ partitionBy: () => 'resource' })).unwrap();
    expect(plan.messages).toHaveLength(2);
    const keys = plan.messages.map((m) => m.key?.toString());
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys).toContain(plan2.messages[0]!.key?.toString());
    expect(keys.every((k) => k !== undefined && k.length > 0)).toBe(true);
  });

  it('adds static headers and the configured metadata headers (every value)', () => {
    const batch = tracesBatch([{ attrs: {}, items: [span(1, 1)] }], {
      headers: { 'x-tenant': ['t1', 't2'], 'x-other': ['no'] },
    });
    const plan = planMessages(
      batch,
      cfg({ staticHeaders: { source: 'agent' }, headersFromMetadata: ['x-tenant', 'x-missing'] }),
    ).unwrap();
    expect(plan.messages[0]!.headers).toEqual([
      { source: 'agent' },
      { 'x-tenant': 't1' },
      { 'x-tenant': 't2' },
    ]);
  });

  it('splits a batch larger than maxMessageBytes into messages that fit, losing nothing', () => {
    const spans = Array.from({ length: 60 }, (_, i) => span(i % 5, i, 200));
    const batch = tracesBatch([
      { attrs: { 'service.name': 'a' }, items: spans.slice(0, 30) },
      { attrs: { 'service.name': 'b' }, items: spans.slice(30) },
    ]);
    expect(batch.bytes.length).toBeGreaterThan(10_000);
    const plan = planMessages(batch, cfg({ maxMessageBytes: 2000, staticHeaders: { h: 'v' } })).unwrap();
    expect(plan.messages.length).toBeGreaterThanOrEqual(Math.ceil(batch.bytes.length / 2000));
    for (const m of plan.messages) expect(m.size).toBeLessThanOrEqual(2000);
    const got = plan.messages.flatMap((m) => spansIn(m.value));
    expect(got.map((s) => s.id).sort()).toEqual(
      spansIn(batch.bytes)
        .map((s) => s.id)
        .sort(),
    );
    expect(got.filter((s) => s.service === 'b')).toHaveLength(30);
    expect(plan.messages.reduce((n, m) => n + m.items, 0)).toBe(60);
  });

  it('counts the key and headers against the limit', () => {
    const batch = tracesBatch([{ attrs: {}, items: Array.from({ length: 20 }, (_, i) => span(1, i, 100)) }]);
    const plan = planMessages(
      batch,
      cfg({ maxMessageBytes: 1500, partitionBy: () => 'traceId', staticHeaders: { big: 'y'.repeat(300) } }),
    ).unwrap();
    for (const m of plan.messages) {
      expect(m.size).toBeLessThanOrEqual(1500);
      expect(m.value.length + m.key!.length + 300).toBeLessThan(1500);
    }
    expect(plan.messages.reduce((n, m) => n + m.items, 0)).toBe(20);
  });

  it('rejects only the items that cannot fit alone, naming their size and the limit', () => {
    const batch = tracesBatch([
      { attrs: {}, items: [span(1, 1), span(1, 2, 5000), span(1, 3), span(1, 4, 6000)] },
    ]);
    const plan = planMessages(batch, cfg({ maxMessageBytes: 2000 })).unwrap();
    expect(plan.rejectedItems).toBe(2);
    expect(plan.rejectedReason).toMatch(/a span of 5\d{3} bytes exceeds the message limit of 19\d\d bytes/);
    expect(plan.rejectedReason).toContain('maxMessageBytes 2000');
    expect(plan.messages.flatMap((m) => spansIn(m.value).map((s) => s.id)).sort()).toEqual(
      [spanIdHex(1), spanIdHex(3)].sort(),
    );
  });

  it('rejects a batch whose only item is too large, with no message', () => {
    const plan = planMessages(
      tracesBatch([{ attrs: {}, items: [span(1, 1, 3000)] }]),
      cfg({ maxMessageBytes: 1000 }),
    ).unwrap();
    expect(plan.messages).toHaveLength(0);
    expect(plan.rejectedItems).toBe(1);
  });

  it('encodes otlp_json, split so that each JSON message fits', () => {
    const batch = tracesBatch([
      { attrs: { 'service.name': 'j' }, items: Array.from({ length: 40 }, (_, i) => span(i, i, 50)) },
    ]);
    // The protobuf fits in one message; its JSON (hex ids, names, quoting) does not.
    const limit = batch.bytes.length + 500;
    const plan = planMessages(batch, cfg({ encoding: 'otlp_json', maxMessageBytes: limit })).unwrap();
    expect(plan.messages.length).toBeGreaterThan(1);
    const ids: string[] = [];
    for (const m of plan.messages) {
      expect(m.size).toBeLessThanOrEqual(limit);
      const req = requestFromJson('traces', m.value.toString('utf8')).unwrap();
      for (const rs of req.resourceSpans)
        for (const ss of rs.scopeSpans) for (const s of ss.spans) ids.push(hex(s.spanId));
    }
    expect(ids.sort()).toEqual(
      spansIn(batch.bytes)
        .map((s) => s.id)
        .sort(),
    );
  });

  it('refuses bytes that are not an OTLP request as invalid data', () => {
    const garbage = trustedBatch('traces', Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]), 1);
    const r = planMessages(garbage, cfg({ partitionBy: () => 'traceId' }));
    expect(r.isErr() && r.error.code).toBe('ERR_INVALID_DATA');
  });
});

function spanIdHex(n: number): string {
  const id = new Uint8Array(8);
  new DataView(id.buffer).setUint32(4, n);
  id[0] = 0xcd;
  return hex(id);
}
