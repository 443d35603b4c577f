import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatch, type Batch } from '../../src/batch.js';
import { WireWriter } from '../../src/internal/wire-writer.js';
import { countItems } from '../../src/ops/count.js';
import { groupByResource, groupByResourceAttribute, groupByTraceId } from '../../src/ops/group.js';
import type { Signal } from '../../src/signal.js';
import { request, writeKv, writeRequest, type Any, type KV } from './support/gen.js';
import { flatten, hex, parseFields, resources, traceIdOf, type FlatEntry } from './support/wire-model.js';

const key = (e: FlatEntry): string => JSON.stringify(e);

/** `sub` appears in `all` in the same relative order. */
function isSubsequence(sub: string[], all: string[]): boolean {
  let i = 0;
  for (const x of all) if (i < sub.length && sub[i] === x) i++;
  return i === sub.length;
}

function checkGroups(signal: Signal, batch: Batch, groups: Map<string | undefined, Batch>): FlatEntry[][] {
  const flat = flatten(signal, batch.bytes).filter((e) => e.item !== null);
  const flats = [...groups.values()].map((g) => {
    expect(g.metadata).toBe(batch.metadata);
    expect(countItems(signal, g.bytes).unwrap()).toBe(g.itemCount);
    const f = flatten(signal, g.bytes).filter((e) => e.item !== null);
    expect(isSubsequence(f.map(key), flat.map(key))).toBe(true);
    return f;
  });
  expect(flats.flat().map(key).sort()).toEqual(flat.map(key).sort());
  return flats;
}

describe('groupByTraceId', () => {
  for (const signal of ['traces', 'logs'] as const)
    it(`${signal}: every item in exactly one group, each trace in one group, framing and order kept`, () => {
      fc.assert(
        fc.property(request(signal, 3, 10), (req) => {
          const batch = createBatch(signal, writeRequest(req), { topic: 'x' }).unwrap();
          const groups = groupByTraceId(batch).unwrap();
          const flats = checkGroups(signal, batch, groups);
          const seen = new Set<string>();
          [...groups.keys()].forEach((k, i) => {
            expect(seen.has(k!)).toBe(false);
            seen.add(k!);
            for (const e of flats[i]!) expect(traceIdOf(signal, e.item!)).toBe(k);
          });
        }),
        { numRuns: 100 },
      );
    });

  it('refuses metrics', () => {
    const r = groupByTraceId(createBatch('metrics', new Uint8Array(0)).unwrap());
    expect(r.isErr() && r.error.code).toBe('ERR_PDATA_INVALID');
  });
});

describe('groupByResource', () => {
  for (const signal of ['traces', 'metrics', 'logs'] as const)
    it(`${signal}: equal attribute sets share a group, different ones do not`, () => {
      fc.assert(
        fc.property(request(signal, 5, 3), (req) => {
          const batch = createBatch(signal, writeRequest(req)).unwrap();
          const groups = groupByResource(batch).unwrap();
          checkGroups(signal, batch, groups);
          const setOf = (b: Batch): string[] =>
            resources(b.bytes).map((r) => JSON.stringify(r.attrs.map((a) => a.join('=')).sort()));
          const owner = new Map<string, string>();
          for (const [k, g] of groups) {
            expect(k).toMatch(/^[0-9a-f]{40}$/);
            for (const s of new Set(setOf(g))) {
              expect(owner.get(s) ?? k).toBe(k);
              owner.set(s, k);
            }
            expect(new Set(setOf(g)).size).toBe(1);
          }
        }),
        { numRuns: 100 },
      );
    });

  it('ignores attribute order', () => {
    const kvs: KV[] = [
      ['service.name', { s: 'a' }],
      ['host', { i: 3n }],
      ['zone', { b: true }],
    ];
    const one = (list: KV[]): Uint8Array => {
      const w = new WireWriter();
      w.begin();
      w.begin();
      for (const kv of list) writeKv(w, 1, kv);
      w.end(1);
      w.end(1);
      return w.finish();
    };
    const a = groupByResource(createBatch('logs', one(kvs)).unwrap()).unwrap();
    const b = groupByResource(createBatch('logs', one(kvs.slice().reverse())).unwrap()).unwrap();
    const c = groupByResource(createBatch('logs', one(kvs.slice(1))).unwrap()).unwrap();
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...a.keys()]).not.toEqual([...c.keys()]);
  });
});

/** Our own reading of an AnyValue payload as text, as groupByResourceAttribute documents. */
function scalarText(valueHex: string): string | undefined {
  let out: string | undefined;
  for (const f of parseFields(Buffer.from(valueHex, 'hex'))) {
    if (f.fn === 1) out = Buffer.from(f.payload).toString('utf8');
    else if (f.fn === 2) out = String(f.payload[0] !== 0);
    else if (f.fn === 3) {
      let v = 0n;
      f.payload.forEach((b, i) => (v |= BigInt(b & 0x7f) << BigInt(7 * i)));
      out = String(BigInt.asIntN(64, v));
    } else if (f.fn === 4) out = String(Buffer.from(f.payload).readDoubleLE(0));
    else out = undefined;
  }
  return out;
}

describe('groupByResourceAttribute', () => {
  it('groups by the attribute value as text, undefined when absent or not a scalar', () => {
    const attr = fc.constantFrom<Any>(
      { s: 'a' },
      { s: 'b' },
      { i: 7n },
      { i: -1n },
      { b: false },
      { d: 1.5 },
      { arr: [] },
    );
    fc.assert(
      fc.property(
        request('traces', 5, 3),
        fc.array(fc.option(attr), { minLength: 5, maxLength: 5 }),
        (req, values) => {
          const resourcesWithTopic = req.resources.map((rl, i) => {
            const v = values[i];
            const rest = (rl.resource?.attrs ?? []).filter(([k]) => k !== 'topic');
            return { ...rl, resource: { attrs: v ? [...rest, ['topic', v] as KV] : rest, dropped: 0 } };
          });
          const batch = createBatch(
            'traces',
            writeRequest({ ...req, resources: resourcesWithTopic }),
          ).unwrap();
          const groups = groupByResourceAttribute(batch, 'topic').unwrap();
          checkGroups('traces', batch, groups);
          for (const [k, g] of groups)
            for (const r of resources(g.bytes)) {
              const found = r.attrs.find(([name]) => name === 'topic');
              expect(found ? scalarText(found[1]) : undefined).toBe(k);
            }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads the value as text', () => {
    const w = new WireWriter();
    w.begin();
    w.begin();
    writeKv(w, 1, ['k', { i: -5n }]);
    w.end(1);
    w.end(1);
    const groups = groupByResourceAttribute(createBatch('metrics', w.finish()).unwrap(), 'k').unwrap();
    expect([...groups.keys()]).toEqual(['-5']);
    expect(hex(groups.get('-5')!.bytes)).toBe(hex(w.finish()));
  });
});
