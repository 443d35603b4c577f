import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatch, trustedBatch } from '../../src/batch.js';
import { WireWriter } from '../../src/internal/wire-writer.js';
import { countItems } from '../../src/ops/count.js';
import { editResource, type AttributeValue, type ResourceAction } from '../../src/ops/resource.js';
import type { Signal } from '../../src/signal.js';
import { request, writeAny, writeKv, writeRequest, type Any, type KV } from './support/gen.js';
import { flatten, hex, parseFields, resources } from './support/wire-model.js';

const KEYS = ['a', 'svc', 'host.name', 'new.key', 'ü€😀'];

const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);

const action: fc.Arbitrary<ResourceAction> = fc.oneof(
  fc.record({
    key: fc.constantFrom(...KEYS),
    action: fc.constantFrom('insert' as const, 'update' as const, 'upsert' as const),
    value,
  }),
  fc.record({
    key: fc.constantFrom(...KEYS),
    action: fc.constantFrom('insert' as const, 'update' as const, 'upsert' as const),
    fromAttribute: fc.constantFrom(...KEYS),
  }),
  fc.record({ key: fc.constantFrom(...KEYS), action: fc.constantFrom('delete' as const, 'hash' as const) }),
);

function anyHex(v: Any): string {
  const w = new WireWriter();
  writeAny(w, v);
  return hex(w.finish());
}

function toAny(v: AttributeValue): Any {
  if (typeof v === 'string') return { s: v };
  if (typeof v === 'boolean') return { b: v };
  if (typeof v === 'bigint') return { i: v };
  return Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63 ? { i: BigInt(v) } : { d: v };
}

/** The Collector's hash of a scalar AnyValue (SHA-1 hex), from our own reading of it. */
function hashModel(valueHex: string): string | undefined {
  let bytes: Buffer | undefined;
  for (const f of parseFields(Buffer.from(valueHex, 'hex'))) {
    if (f.fn === 1) bytes = f.payload.length ? Buffer.from(f.payload) : undefined;
    else if (f.fn === 2) bytes = Buffer.of(f.payload[0] ? 1 : 0);
    else if (f.fn === 3) {
      let v = 0n;
      f.payload.forEach((b, i) => (v |= BigInt(b & 0x7f) << BigInt(7 * i)));
      bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(BigInt.asUintN(64, v));
    } else if (f.fn === 4) bytes = Buffer.from(f.payload);
    else bytes = undefined;
  }
  return bytes && createHash('sha1').update(bytes).digest('hex');
}

function applyModel(attrs: [string, string][], actions: readonly ResourceAction[]): [string, string][] {
  let out = attrs.slice();
  for (const a of actions) {
    const i = out.findIndex(([k]) => k === a.key);
    if (a.action === 'delete') out = out.filter(([k]) => k !== a.key);
    else if (a.action === 'hash') {
      const h = i >= 0 ? hashModel(out[i]![1]) : undefined;
      if (h !== undefined) out[i] = [a.key, anyHex({ s: h })];
    } else {
      if ((a.action === 'insert' && i >= 0) || (a.action === 'update' && i < 0)) continue;
      let v: string | undefined;
      if (a.fromAttribute !== undefined) v = out.find(([k]) => k === a.fromAttribute)?.[1];
      else v = anyHex(toAny(a.value!));
      if (v === undefined) continue;
      if (i >= 0) out[i] = [a.key, v];
      else out.push([a.key, v]);
    }
  }
  return out;
}

describe('editResource', () => {
  for (const signal of ['traces', 'metrics', 'logs'] as Signal[])
    it(`${signal}: changes only resource attributes, as the Collector would`, () => {
      // Give resources attributes with the keys the actions use (new objects: fast-check reuses values).
      const keyed = request(signal, 4, 3).map((req) => ({
        ...req,
        resources: req.resources.map((rl, i) =>
          rl.resource && i % 2 === 0
            ? {
                ...rl,
                resource: {
                  ...rl.resource,
                  attrs: [...rl.resource.attrs, ['svc', { s: `s${i}` }], ['a', { i: BigInt(i) }]] as KV[],
                },
              }
            : rl,
        ),
      }));
      fc.assert(
        fc.property(keyed, fc.array(action, { maxLength: 5 }), (req, actions) => {
          const batch = createBatch(signal, writeRequest(req), { topic: 'm' }).unwrap();
          const out = editResource(batch, actions).unwrap();
          const before = resources(batch.bytes);
          const after = resources(out.bytes);
          expect(after.length).toBe(before.length);
          before.forEach((b, i) => {
            expect(after[i]!.attrs).toEqual(applyModel(b.attrs, actions));
            expect(after[i]!.others).toBe(b.others);
            expect(after[i]!.rest).toBe(b.rest);
          });
          expect(out.itemCount).toBe(batch.itemCount);
          expect(countItems(signal, out.bytes).unwrap()).toBe(batch.itemCount);
          expect(out.metadata).toBe(batch.metadata);
          if (actions.length === 0) expect(out).toBe(batch);
          // Items and scopes are untouched.
          const strip = (s: string[]) => s.slice(1);
          expect(flatten(signal, out.bytes).map((e) => [strip(e.ctx), e.item])).toEqual(
            flatten(signal, batch.bytes).map((e) => [strip(e.ctx), e.item]),
          );
        }),
        { numRuns: 150 },
      );
    });

  it('adds a Resource where there is none, when an insert applies', () => {
    const w = new WireWriter();
    w.begin(); // ResourceLogs without resource
    w.begin();
    w.begin();
    w.stringField(3, 'body');
    w.end(2);
    w.end(2);
    w.stringField(3, 'schema');
    w.end(1);
    const batch = createBatch('logs', w.finish()).unwrap();
    expect(editResource(batch, [{ key: 'x', action: 'update', value: 1 }]).unwrap()).toBe(batch);
    const out = editResource(batch, [{ key: 'x', action: 'insert', value: 'y' }]).unwrap();
    const rl = parseFields(parseFields(out.bytes)[0]!.payload);
    expect(rl.map((f) => f.fn)).toEqual([1, 2, 3]);
    expect(resources(out.bytes)[0]!.attrs).toEqual([['x', anyHex({ s: 'y' })]]);
  });

  it('encodes numbers: integral as int, else double; bigint as int', () => {
    const batch = createBatch(
      'traces',
      writeRequest({ signal: 'traces', resources: [{ resource: undefined, scopes: [], schemaUrl: '' }] }),
    ).unwrap();
    const out = editResource(batch, [
      { key: 'i', action: 'insert', value: -3 },
      { key: 'd', action: 'insert', value: 0.5 },
      { key: 'b', action: 'insert', value: 2n ** 62n },
      { key: 't', action: 'insert', value: true },
    ]).unwrap();
    expect(resources(out.bytes)[0]!.attrs).toEqual([
      ['i', anyHex({ i: -3n })],
      ['d', anyHex({ d: 0.5 })],
      ['b', anyHex({ i: 2n ** 62n })],
      ['t', anyHex({ b: true })],
    ]);
  });

  it('hashes like the Collector attributes processor (SHA-1 hex)', () => {
    const w = new WireWriter();
    w.begin();
    w.begin();
    writeKv(w, 1, ['user', { s: 'alice' }]);
    writeKv(w, 1, ['empty', { s: '' }]);
    w.end(1);
    w.end(1);
    const out = editResource(createBatch('traces', w.finish()).unwrap(), [
      { key: 'user', action: 'hash' },
      { key: 'empty', action: 'hash' },
    ]).unwrap();
    expect(resources(out.bytes)[0]!.attrs).toEqual([
      ['user', anyHex({ s: '522b276a356bdf39013dfabea2cd43e141ecc9e8' })],
      ['empty', anyHex({ s: '' })],
    ]);
  });

  it('refuses invalid actions as values', () => {
    const b = trustedBatch('logs', new Uint8Array(0), 0);
    const bad: unknown[] = [
      { key: '', action: 'insert', value: 1 },
      { key: 'k', action: 'rename', value: 1 },
      { key: 'k', action: 'insert' },
      { key: 'k', action: 'insert', value: 1, fromAttribute: 'x' },
      { key: 'k', action: 'delete', value: 1 },
      { key: 'k', action: 'upsert', value: {} },
      { key: 'k', action: 'upsert', value: 2n ** 64n },
      null,
    ];
    for (const a of bad) {
      const r = editResource(b, [a as ResourceAction]);
      expect(r.isErr() && r.error.code).toBe('ERR_PDATA_INVALID');
    }
  });

  it('reports hostile resource bytes with offset and field', () => {
    // ResourceSpans { resource { attributes: length 9 past the end } }
    const bytes = Uint8Array.of(0x0a, 0x04, 0x0a, 0x02, 0x0a, 0x09);
    const r = editResource(trustedBatch('traces', bytes, 0), [{ key: 'k', action: 'upsert', value: 'v' }]);
    expect(r.isErr()).toBe(true);
    if (r.isErr()) {
      expect(r.error.code).toBe('ERR_PDATA_LENGTH');
      expect(r.error.field).toBe('Resource.attributes');
      expect(r.error.offset).toBe(5);
    }
  });
});

// ---- Exact bytes, hostile framing: against a reference that reads every attribute into a list ----

const enc = new TextEncoder();

function varintBytes(v: number, pad = 0): number[] {
  const out: number[] = [];
  do {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  } while (v > 0);
  for (let i = 0; i < pad; i++) out.push(0x80);
  out[out.length - 1]! &= 0x7f;
  return out;
}

/** A length-delimited field; `pad` extra length bytes make a valid, non-minimal length. */
function lenField(fn: number, payload: Uint8Array, pad = 0): Uint8Array {
  return Uint8Array.from([(fn << 3) | 2, ...varintBytes(payload.length, pad), ...payload]);
}

function cat(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

interface RefAttr {
  key: Uint8Array;
  value: Uint8Array;
  payload: Uint8Array | undefined;
}

/** The edit as the first implementation did it: every attribute an object, the list edited, all re-encoded. */
function referenceEdit(bytes: Uint8Array, actions: readonly ResourceAction[]): Uint8Array | undefined {
  const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  const anyBytes = (v: AttributeValue) => Buffer.from(anyHex(toAny(v)), 'hex');
  let changed = false;
  const out = parseFields(bytes).map((top) => {
    if (top.fn !== 1) return top.raw;
    const fields = parseFields(top.payload);
    const attrs: RefAttr[] = [];
    const others: Uint8Array[] = [];
    for (const res of fields.filter((f) => f.fn === 1))
      for (const f of parseFields(res.payload)) {
        if (f.fn !== 1) {
          others.push(f.raw);
          continue;
        }
        let key: Uint8Array = new Uint8Array(0);
        let value: Uint8Array = new Uint8Array(0);
        for (const kv of parseFields(f.payload)) {
          if (kv.fn === 1) key = kv.payload;
          if (kv.fn === 2) value = kv.payload;
        }
        attrs.push({ key, value, payload: f.payload });
      }
    let rlChanged = false;
    for (const a of actions) {
      const key = enc.encode(a.key);
      const i = attrs.findIndex((x) => eq(x.key, key));
      if (a.action === 'delete') {
        if (i < 0) continue;
        for (let j = attrs.length - 1; j >= 0; j--) if (eq(attrs[j]!.key, key)) attrs.splice(j, 1);
      } else if (a.action === 'hash') {
        const h = i >= 0 ? hashModel(hex(attrs[i]!.value)) : undefined;
        if (h === undefined) continue;
        attrs[i] = { key, value: anyBytes(h), payload: undefined };
      } else {
        if ((a.action === 'insert' && i >= 0) || (a.action === 'update' && i < 0)) continue;
        let v: Uint8Array | undefined;
        if (a.fromAttribute !== undefined) {
          const from = enc.encode(a.fromAttribute);
          v = attrs.find((x) => eq(x.key, from))?.value;
        } else v = anyBytes(a.value!);
        if (v === undefined) continue;
        if (i >= 0) attrs[i] = { key, value: v, payload: undefined };
        else attrs.push({ key, value: v, payload: undefined });
      }
      rlChanged = true;
    }
    if (!rlChanged) return top.raw;
    changed = true;
    const kvs = attrs.map((a) => lenField(1, a.payload ?? cat([lenField(1, a.key), lenField(2, a.value)])));
    const resource = lenField(1, cat([...kvs, ...others]));
    return lenField(1, cat([resource, ...fields.filter((f) => f.fn !== 1).map((f) => f.raw)]));
  });
  return changed ? cat(out) : undefined;
}

const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.double({ noNaN: true }));
const hostileAttr: fc.Arbitrary<Uint8Array> = fc
  .record({
    key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 3 })),
    value: scalar,
    /** Extra KeyValue fields: a second key (the last one counts), an unknown field. */
    shadowKey: fc.option(fc.constantFrom(...KEYS), { nil: undefined }),
    unknown: fc.boolean(),
    noValue: fc.boolean(),
    pad: fc.nat(2),
  })
  .map((a) => {
    const parts: Uint8Array[] = [];
    if (a.shadowKey !== undefined) parts.push(lenField(1, enc.encode(a.shadowKey)));
    parts.push(lenField(1, enc.encode(a.key)));
    if (a.unknown) parts.push(Uint8Array.of(0x18, 0x07)); // field 3, varint
    if (!a.noValue) parts.push(lenField(2, Buffer.from(anyHex(toAny(a.value)), 'hex'), a.pad));
    return lenField(1, cat(parts), a.pad);
  });
const resourceOther = fc.constantFrom(Uint8Array.of(0x10, 0x03), lenField(9, enc.encode('x')));
const resource = fc
  .array(fc.oneof({ weight: 4, arbitrary: hostileAttr }, { weight: 1, arbitrary: resourceOther }), {
    maxLength: 8,
  })
  .map((fs) => lenField(1, cat(fs)));
const rlRest = fc.constantFrom(lenField(2, enc.encode('scope')), lenField(3, enc.encode('schema')));
const resourceLevel = fc
  .array(fc.oneof({ weight: 2, arbitrary: resource }, { weight: 1, arbitrary: rlRest }), { maxLength: 4 })
  .map((fs) => lenField(1, cat(fs)));
const hostileRequest = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: resourceLevel },
      { weight: 1, arbitrary: fc.constant(Uint8Array.of(0x10, 1)) },
    ),
    {
      maxLength: 4,
    },
  )
  .map(cat);

describe('editResource on hostile framing', () => {
  it('writes exactly the bytes of a read-everything-then-re-encode edit', () => {
    fc.assert(
      fc.property(hostileRequest, fc.array(action, { maxLength: 5 }), (bytes, actions) => {
        const batch = trustedBatch('traces', bytes, 0);
        const out = editResource(batch, actions).unwrap();
        const expected = actions.length ? referenceEdit(bytes, actions) : undefined;
        if (expected === undefined) expect(out).toBe(batch);
        else expect(hex(out.bytes)).toBe(hex(expected));
      }),
      { numRuns: 1000 },
    );
  });
});
