import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { createBatch } from '../../src/batch.js';
import { countItems } from '../../src/ops/count.js';
import { groupByResource, groupByResourceAttribute, groupByTraceId } from '../../src/ops/group.js';
import { mergeBatches } from '../../src/ops/merge.js';
import { editResource } from '../../src/ops/resource.js';
import { splitBatch } from '../../src/ops/split.js';
import type { Signal } from '../../src/signal.js';
import { sdkLogsRequest, sdkMetricsRequest, sdkSpans, sdkTraceRequest } from './support/sdk.js';
import { flatten, resources, traceIdOf } from './support/wire-model.js';

async function requests(): Promise<[Signal, Uint8Array, number][]> {
  const metrics = await sdkMetricsRequest();
  return [
    ['traces', sdkTraceRequest(5, 4), 40],
    ['metrics', metrics.bytes, metrics.points],
    ['logs', sdkLogsRequest(20), 20],
  ];
}

describe('wire operations on OTel SDK data (serialized by @opentelemetry/otlp-transformer)', () => {
  it('count, split and merge every signal', async () => {
    for (const [signal, bytes, expected] of await requests()) {
      const batch = createBatch(signal, bytes).unwrap();
      expect(batch.itemCount).toBe(expected);
      const flat = flatten(signal, bytes);
      for (const limits of [
        { maxItems: 1 },
        { maxItems: 3 },
        { maxBytes: 900 },
        { maxItems: 7, maxBytes: 1200 },
      ]) {
        const pieces = splitBatch(batch, limits).unwrap();
        expect(pieces.length).toBeGreaterThan(1);
        for (const p of pieces) {
          expect(countItems(signal, p.bytes).unwrap()).toBe(p.itemCount);
          expect(p.itemCount).toBeLessThanOrEqual(limits.maxItems ?? Infinity);
          expect(p.bytes.length).toBeLessThanOrEqual(limits.maxBytes ?? Infinity);
        }
        const merged = mergeBatches(pieces).unwrap();
        expect(merged.itemCount).toBe(expected);
        expect(flatten(signal, merged.bytes)).toEqual(flat);
      }
    }
  });

  it('groups SDK spans by trace id', () => {
    const spans = sdkSpans(6, 3);
    const batch = createBatch('traces', ProtobufTraceSerializer.serializeRequest(spans)!).unwrap();
    const groups = groupByTraceId(batch).unwrap();
    // One trace id per root span, spread over both services.
    expect(new Set([...groups.keys()])).toEqual(new Set(spans.map((s) => s.spanContext().traceId)));
    for (const [id, g] of groups) {
      expect(g.itemCount).toBe(3);
      for (const e of flatten('traces', g.bytes)) expect(traceIdOf('traces', e.item!)).toBe(id);
    }
  });

  it('groups SDK logs by trace id, "" for records without one', () => {
    const groups = groupByTraceId(createBatch('logs', sdkLogsRequest(9)).unwrap()).unwrap();
    expect(groups.get('')?.itemCount).toBe(3);
    expect([...groups.values()].reduce((a, g) => a + g.itemCount, 0)).toBe(9);
  });

  it('groups by resource and by service.name, and edits resources', () => {
    const batch = createBatch('traces', sdkTraceRequest(3, 2)).unwrap();
    const byHash = groupByResource(batch).unwrap();
    expect(byHash.size).toBe(2);
    const byService = groupByResourceAttribute(batch, 'service.name').unwrap();
    expect([...byService.keys()].sort()).toEqual(['cart', 'checkout']);
    const edited = editResource(batch, [
      { key: 'deployment.environment', action: 'insert', value: 'prod' },
      { key: 'host.name', action: 'delete' },
      { key: 'service.name', action: 'hash' },
    ]).unwrap();
    for (const r of resources(edited.bytes)) {
      const keys = r.attrs.map(([k]) => k);
      expect(keys).toContain('deployment.environment');
      expect(keys).not.toContain('host.name');
    }
    expect(flatten('traces', edited.bytes).map((e) => e.item)).toEqual(
      flatten('traces', batch.bytes).map((e) => e.item),
    );
  });
});
