import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatch } from '../../src/batch.js';
import { groupByResource, groupByResourceAttribute } from '../../src/ops/group.js';
import { editResource, type ResourceAction } from '../../src/ops/resource.js';
import type { Signal } from '../../src/signal.js';
import { resources } from './support/wire-model.js';

// Issue 17 item 2: a 9 MB request holding one resource with 1,000,000 attributes
// `{a: ""}` took the agent from 91 to 501 MB, because the resource edit (and the
// grouping by resource) made an object and three views per attribute. Memory
// of a test process cannot be measured reliably (no --expose-gc), so these
// tests count what made it grow: typed-array views created while the whole
// resource is edited or grouped. A view per attribute fails them; a constant
// number of views per resource passes.

const COUNT = 200_000;

/** Export*ServiceRequest { resource_* { resource { attributes x count }, scope_* { item } } }, written directly. */
function bomb(signal: Signal, count: number): Uint8Array {
  const kv = [0x0a, 0x07, 0x0a, 0x01, 0x61, 0x12, 0x02, 0x0a, 0x00]; // attributes { key "a", value { string_value "" } }
  const item =
    signal === 'metrics'
      ? [0x12, 0x10, 0x0a, 0x01, 0x6d, 0x2a, 0x0b, 0x0a, 0x09, 0x31, 1, 0, 0, 0, 0, 0, 0, 0] // metrics { name "m", gauge { data_points { as_int } } }
      : signal === 'logs'
        ? [0x12, 0x04, 0x2a, 0x02, 0x0a, 0x00] // log_records { body { string_value "" } }
        : [0x12, 0x12, 0x0a, 0x10, ...new Array<number>(15).fill(0), 1]; // spans { trace_id }
  const scope = [0x12, ...varint(item.length), ...item];
  const attrs = new Uint8Array(kv.length * count);
  for (let i = 0; i < count; i++) attrs.set(kv, i * kv.length);
  const resource = [0x0a, ...varint(attrs.length)];
  const rlLen = resource.length + attrs.length + scope.length;
  const head = [0x0a, ...varint(rlLen), ...resource];
  const out = new Uint8Array(head.length + attrs.length + scope.length);
  out.set(head, 0);
  out.set(attrs, head.length);
  out.set(scope, head.length + attrs.length);
  return out;
}

function varint(v: number): number[] {
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** Typed-array views made while `fn` runs (each is an object on the heap, ~100 bytes). */
function viewsMadeBy<T>(fn: () => T): { result: T; views: number } {
  const spy = vi.spyOn(Uint8Array.prototype, 'subarray');
  try {
    const result = fn();
    return { result, views: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const AGENT: ResourceAction[] = [
  { key: 'collector.tier', value: 'agent', action: 'upsert' },
  { key: 'collector.node', value: 'node-1', action: 'upsert' },
];

describe('resource attributes in place (issue 17: memory proportional to the request)', () => {
  for (const signal of ['traces', 'metrics', 'logs'] as Signal[])
    it(`${signal}: editResource with the agent's actions on ${COUNT} attributes makes no view per attribute`, () => {
      const batch = createBatch(signal, bomb(signal, COUNT), {}, { deep: true }).unwrap();
      const { result, views } = viewsMadeBy(() => editResource(batch, AGENT).unwrap());
      expect(views).toBeLessThan(100);
      // The output is the input plus the two attributes: one copy, nothing more.
      const added =
        2 +
        2 * 2 +
        'collector.tier'.length +
        'agent'.length +
        2 +
        2 * 2 +
        'collector.node'.length +
        'node-1'.length +
        2 * 2;
      expect(result.bytes.length).toBeLessThanOrEqual(batch.bytes.length + added + 8);
      const [rl] = resources(result.bytes);
      expect(rl!.attrs.length).toBe(COUNT + 2);
      expect(rl!.attrs.slice(-2).map(([k]) => k)).toEqual(['collector.tier', 'collector.node']);
    });

  it('update / delete / hash / insert of the repeated key: no view per attribute, results as the Collector', () => {
    const batch = createBatch('traces', bomb('traces', COUNT)).unwrap();
    const cases: [ResourceAction[], (attrs: [string, string][]) => void][] = [
      [[{ key: 'absent', action: 'update', value: 1 }], () => {}],
      [
        [{ key: 'a', action: 'update', value: 'x' }],
        (a) => expect(a.filter(([, v]) => v !== '0a00').length).toBe(1),
      ],
      [[{ key: 'a', action: 'delete' }], (a) => expect(a.length).toBe(0)],
      [[{ key: 'a', action: 'hash' }], () => {}], // the empty string is not hashed
      [[{ key: 'b', action: 'insert', fromAttribute: 'a' }], (a) => expect(a.at(-1)).toEqual(['b', '0a00'])],
    ];
    for (const [actions, check] of cases) {
      const { result, views } = viewsMadeBy(() => editResource(batch, actions).unwrap());
      expect(views).toBeLessThan(100);
      if (result === batch) continue;
      check(resources(result.bytes)[0]!.attrs);
    }
  });

  it('groupByResource and groupByResourceAttribute make no view per attribute', () => {
    const batch = createBatch('logs', bomb('logs', COUNT)).unwrap();
    const small = createBatch('logs', bomb('logs', 3)).unwrap();
    const byHash = viewsMadeBy(() => groupByResource(batch).unwrap());
    // Hashing goes through a 64 KiB scratch buffer: a view per flush, not per attribute.
    expect(byHash.views).toBeLessThan(100);
    expect([...byHash.result.keys()]).toHaveLength(1);
    expect([...byHash.result.keys()][0]).not.toBe([...groupByResource(small).unwrap().keys()][0]);
    const byKey = viewsMadeBy(() => groupByResourceAttribute(batch, 'a').unwrap());
    expect(byKey.views).toBeLessThan(100);
    expect([...byKey.result.keys()]).toEqual(['']);
  });
});
