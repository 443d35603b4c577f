import { createHash } from 'node:crypto';
import { createPipeline, createPushReceiver, outcomeKind, refusalOf, type Outcome } from '@otlp-kafka/core';
import {
  createBatch,
  decodeRequest,
  editResource,
  trustedBatch,
  type Batch,
  type BatchMetadata,
  type Signal,
} from '@otlp-kafka/pdata';
import { createMemorySink } from '@otlp-kafka/testkit';
import { describe, expect, it } from 'vitest';
import { createAttributesProcessor, type AttributesProcessorOptions } from '../src/index.js';
import { attrsOf, batchOf, bool, dbl, int, itemAttributes, str, type Attrs } from './helpers.js';

async function run(options: AttributesProcessorOptions, batch: Batch) {
  const sink = createMemorySink();
  await sink.start();
  const p = createAttributesProcessor(options)(sink);
  await p.start();
  const outcome: Outcome = await p.consume(batch);
  await p.shutdown();
  return { outcome, sent: sink.batches[0], sink };
}

/** Runs the actions on a batch of `items` and answers the items' attributes after them. */
async function apply(
  signal: Signal,
  actions: AttributesProcessorOptions['actions'],
  items: Attrs[],
  more: Partial<AttributesProcessorOptions> & { metadata?: BatchMetadata } = {},
): Promise<Attrs[]> {
  const { metadata, ...options } = more;
  const { outcome, sent } = await run({ actions, ...options }, batchOf(signal, items, metadata));
  expect(outcomeKind(outcome)).toBe('ok');
  return attrsOf(sent!);
}

const sha1 = (bytes: string | Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describe.each(['traces', 'logs', 'metrics'] as const)('attributes processor on %s', (signal) => {
  it('insert adds only missing keys, update changes only present ones, upsert both', async () => {
    const out = await apply(
      signal,
      [
        { key: 'env', action: 'insert', value: 'prod' },
        { key: 'team', action: 'update', value: 'core' },
        { key: 'region', action: 'upsert', value: 'eu' },
        { key: 'retries', action: 'upsert', value: 3 },
        { key: 'ratio', action: 'upsert', value: 0.5 },
        { key: 'sampled', action: 'insert', value: true },
        { key: 'big', action: 'insert', value: 2n ** 62n },
        { key: 'list', action: 'insert', value: { arrayValue: { values: [str('a'), int(1)] } } },
      ],
      [{ env: str('dev'), team: str('old') }, { region: str('us') }],
    );
    expect(out).toEqual([
      {
        env: str('dev'),
        team: str('core'),
        region: str('eu'),
        retries: int(3),
        ratio: dbl(0.5),
        sampled: bool(true),
        big: int(2n ** 62n),
        list: { arrayValue: { values: [str('a'), int(1)] } },
      },
      {
        env: str('prod'),
        region: str('eu'),
        retries: int(3),
        ratio: dbl(0.5),
        sampled: bool(true),
        big: int(2n ** 62n),
        list: { arrayValue: { values: [str('a'), int(1)] } },
      },
    ]);
  });

  it('fromAttribute copies another attribute of the same item (any type), skipped when it is absent', async () => {
    const map = { kvlistValue: { values: [{ key: 'k', value: str('v') }] } };
    const out = await apply(
      signal,
      [
        { key: 'copy', action: 'insert', fromAttribute: 'orig' },
        { key: 'nested', action: 'upsert', fromAttribute: 'map' },
        { key: 'orig', action: 'update', fromAttribute: 'absent' },
      ],
      [{ orig: int(7), map }, { other: str('x') }],
    );
    expect(out).toEqual([{ orig: int(7), map, copy: int(7), nested: map }, { other: str('x') }]);
  });

  it('fromContext metadata.<header> takes the first value of the request header; absent: skipped', async () => {
    const actions = [
      { key: 'tenant', action: 'upsert', fromContext: 'metadata.X-Tenant' },
      { key: 'absent', action: 'insert', fromContext: 'metadata.x-none' },
    ] as const;
    const out = await apply(signal, actions, [{}, { tenant: str('spoofed') }], {
      metadata: { headers: { 'x-tenant': ['acme', 'other'] } },
    });
    expect(out).toEqual([{ tenant: str('acme') }, { tenant: str('acme') }]);
    expect(await apply(signal, actions, [{ a: str('1') }])).toEqual([{ a: str('1') }]);
  });

  it('delete removes a key and every key matching pattern', async () => {
    const out = await apply(
      signal,
      [
        { key: 'password', action: 'delete' },
        { action: 'delete', pattern: '^http\\.request\\.header\\.' },
        { key: 'token', action: 'delete', pattern: 'secret' },
      ],
      [
        {
          password: str('p'),
          'http.request.header.authorization': str('Bearer x'),
          'http.request.header.cookie': str('c'),
          'http.route': str('/cart'),
          token: str('t'),
          'my.secret.key': int(1),
        },
        { keep: str('k') },
      ],
    );
    expect(out).toEqual([{ 'http.route': str('/cart') }, { keep: str('k') }]);
  });

  it('hash replaces values by their SHA-1 hex, by key and by pattern; the empty string and maps are left', async () => {
    const int8 = new Uint8Array(8);
    new DataView(int8.buffer).setBigInt64(0, -5n, true);
    const dbl8 = new Uint8Array(8);
    new DataView(dbl8.buffer).setFloat64(0, 2.5, true);
    const map = { kvlistValue: { values: [] } };
    const out = await apply(
      signal,
      [
        { key: 'user.email', action: 'hash' },
        { action: 'hash', pattern: '^user\\.(id|score|vip)$' },
        { key: 'empty', action: 'hash' },
        { key: 'map', action: 'hash' },
        { key: 'absent', action: 'hash' },
      ],
      [
        {
          'user.email': str('a@b.c'),
          'user.id': int(-5),
          'user.score': dbl(2.5),
          'user.vip': bool(true),
          'user.name': str('kept'),
          empty: str(''),
          map,
        },
      ],
    );
    expect(out).toEqual([
      {
        'user.email': str(sha1('a@b.c')),
        'user.id': str(sha1(int8)),
        'user.score': str(sha1(dbl8)),
        'user.vip': str(sha1(Uint8Array.of(1))),
        'user.name': str('kept'),
        empty: str(''),
        map,
      },
    ]);
  });

  it('extract sets a string attribute per named group, overwriting, leaving the source; no match: nothing', async () => {
    const extracted = await apply(
      signal,
      [
        {
          key: 'http.url',
          action: 'extract',
          pattern: '^(?P<http_protocol>.*):\\/\\/(?<http_domain>[^/]+)(?<http_path>\\/[^?]*)?$',
        },
      ],
      [
        { 'http.url': str('https://shop.example/cart'), http_domain: str('old') },
        { 'http.url': str('https://shop.example') },
        { 'http.url': str('not a url') },
        { 'http.url': int(1) },
      ],
    );
    expect(extracted).toEqual([
      {
        'http.url': str('https://shop.example/cart'),
        http_domain: str('shop.example'),
        http_protocol: str('https'),
        http_path: str('/cart'),
      },
      {
        'http.url': str('https://shop.example'),
        http_protocol: str('https'),
        http_domain: str('shop.example'),
        http_path: str(''),
      },
      { 'http.url': str('not a url') },
      { 'http.url': int(1) },
    ]);
  });

  it('convert changes the type when it can, and leaves the value when it cannot', async () => {
    const out = await apply(
      signal,
      [
        { key: 'a', action: 'convert', convertedType: 'int' },
        { key: 'b', action: 'convert', convertedType: 'int' },
        { key: 'c', action: 'convert', convertedType: 'int' },
        { key: 'd', action: 'convert', convertedType: 'double' },
        { key: 'e', action: 'convert', convertedType: 'double' },
        { key: 'f', action: 'convert', convertedType: 'string' },
        { key: 'g', action: 'convert', convertedType: 'string' },
        { key: 'h', action: 'convert', convertedType: 'int' },
        { key: 'absent', action: 'convert', convertedType: 'string' },
      ],
      [
        {
          a: str('200'),
          b: dbl(-2.9),
          c: str('twelve'),
          d: str('1e3'),
          e: int(4),
          f: dbl(0.1),
          g: bool(false),
          h: bool(true),
        },
      ],
    );
    expect(out).toEqual([
      {
        a: int(200),
        b: int(-2),
        c: str('twelve'),
        d: dbl(1000),
        e: dbl(4),
        f: str('0.1'),
        g: str('false'),
        h: int(1),
      },
    ]);
  });

  it('applies the actions in order, each seeing what the ones before did', async () => {
    const out = await apply(
      signal,
      [
        { key: 'code', action: 'insert', fromAttribute: 'http.status_code' },
        { key: 'code', action: 'convert', convertedType: 'int' },
        { key: 'http.status_code', action: 'delete' },
        { key: 'code.hashed', action: 'upsert', fromAttribute: 'code' },
        { key: 'code.hashed', action: 'hash' },
      ],
      [{ 'http.status_code': str('404') }],
    );
    const i8 = new Uint8Array(8);
    new DataView(i8.buffer).setBigInt64(0, 404n, true);
    expect(out).toEqual([{ code: int(404), 'code.hashed': str(sha1(i8)) }]);
  });

  it('include / exclude choose the items acted on (filter-processor match properties)', async () => {
    const items: Attrs[] = [
      { tier: str('gold'), id: str('1') },
      { tier: str('silver'), id: str('2') },
      { tier: str('gold'), id: str('3'), internal: bool(true) },
    ];
    const out = await apply(signal, [{ key: 'id', action: 'hash' }], items, {
      include: { matchType: 'strict', attributes: [{ key: 'tier', value: 'gold' }] },
      exclude: { matchType: 'strict', attributes: [{ key: 'internal' }] },
    });
    expect(out.map((a) => a.id)).toEqual([str(sha1('1')), str('2'), str('3')]);
    const byResource = await apply(signal, [{ key: 'seen', action: 'insert', value: true }], items, {
      include: { matchType: 'regexp', resources: [{ key: 'service.name', value: '^check' }] },
    });
    expect(byResource.every((a) => a.seen?.boolValue === true)).toBe(true);
  });

  it('passes a batch where nothing changed on as it is (the same bytes)', async () => {
    const batch = batchOf(signal, [{ a: str('1') }, { b: str('2') }]);
    const { sent } = await run(
      {
        actions: [
          { key: 'absent', action: 'update', value: 'x' },
          { key: 'absent', action: 'delete' },
          { action: 'hash', pattern: '^none' },
        ],
      },
      batch,
    );
    expect(sent).toBe(batch);
  });
});

describe('attributes processor', () => {
  it('hashes item attributes exactly as the resource processor hashes resource attributes', async () => {
    const values = [str('a@b.c'), str('é'), int(-1), int(2n ** 63n - 1n), dbl(-0.5), bool(false)];
    const items = values.map((v) => ({ v }));
    const out = await apply('traces', [{ key: 'v', action: 'hash' }], items);
    for (const [i, v] of values.entries()) {
      const scalar = v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue!;
      const withResource = editResource(batchOf('traces', [{}]), [
        { key: 'v', action: 'upsert', value: scalar },
        { key: 'v', action: 'hash' },
      ]).unwrap();
      expect(out[i]!.v).toEqual(str(resourceAttribute(withResource, 'v')!));
    }
  });

  it('edits only the items in a batch, keeping resources, scopes and other item fields', async () => {
    const batch = batchOf('traces', [{ a: str('1') }, { b: str('2') }]);
    const { sent } = await run({ actions: [{ key: 'b', action: 'update', value: 'x' }] }, batch);
    expect(itemAttributes(sent!)).toEqual([[{ key: 'a', value: str('1') }], [{ key: 'b', value: str('x') }]]);
    expect(sent!.bytes.length).toBe(batch.bytes.length);
    expect(sent!.itemCount).toBe(2);
  });

  it('keeps unknown fields of edited items and of the messages around them', async () => {
    const len = (field: number, ...parts: Uint8Array[]) => {
      const body = Buffer.concat(parts);
      return Uint8Array.from([(field << 3) | 2, body.length, ...body]);
    };
    const text = (field: number, s: string) => len(field, Buffer.from(s));
    const unknownInSpan = Uint8Array.of(0x98, 0x06, 0x07); // field 99, varint 7
    const unknownInResourceSpans = Uint8Array.of(0xc0, 0x3e, 0x01); // field 1000, varint 1
    const spanBytes = len(2, text(5, 'op'), len(9, text(1, 'a'), len(2, text(1, '1'))), unknownInSpan);
    const request = len(1, len(2, spanBytes), unknownInResourceSpans);
    const batch = createBatch('traces', request).unwrap();
    const { sent } = await run({ actions: [{ key: 'b', action: 'upsert', value: 'x' }] }, batch);
    expect(attrsOf(sent!)).toEqual([{ a: str('1'), b: str('x') }]);
    const hex = Buffer.from(sent!.bytes).toString('hex');
    expect(hex).toContain(Buffer.from(unknownInSpan).toString('hex'));
    expect(hex).toContain(Buffer.from(unknownInResourceSpans).toString('hex'));
  });

  it('refuses a batch whose bytes cannot be read, permanently, naming the processor', async () => {
    const bad = trustedBatch('traces', Uint8Array.of(0x0a, 0x05, 0x0a), 1);
    const { outcome, sink } = await run(
      { name: 'scrub', actions: [{ key: 'a', action: 'upsert', value: 1 }] },
      bad,
    );
    expect(outcomeKind(outcome)).toBe('permanent');
    expect(refusalOf(outcome)?.message).toMatch(/attributes-processor scrub: cannot edit item attributes/);
    expect(sink.batches).toHaveLength(0);
  });

  it("answers the next consumer's outcome, and shutdown waits for batches being passed on", async () => {
    const refusing = createMemorySink({ behaviour: 'backpressure' });
    await refusing.start();
    const p1 = createAttributesProcessor({ actions: [{ key: 'a', action: 'upsert', value: 1 }] })(refusing);
    await p1.start();
    expect(outcomeKind(await p1.consume(batchOf('traces', [{}])))).toBe('backpressure');

    const slow = createMemorySink({ delayMs: 50 });
    await slow.start();
    const p2 = createAttributesProcessor({ actions: [{ key: 'a', action: 'upsert', value: 1 }] })(slow);
    await p2.start();
    const pending = p2.consume(batchOf('logs', [{}]));
    await p2.shutdown();
    expect(slow.batches).toHaveLength(1);
    expect(outcomeKind(await pending)).toBe('ok');
    expect(outcomeKind(await p2.consume(batchOf('logs', [{}])))).toBe('retryable');
  });

  it('runs in a pipeline: refuses before start, passes edits on, shuts down idempotently', async () => {
    const processor = createAttributesProcessor({
      actions: [{ key: 'pipeline', action: 'insert', value: 'agent' }],
    });
    const early = await processor(createMemorySink()).consume(batchOf('logs', [{}]));
    expect(outcomeKind(early)).toBe('retryable');

    const receiver = createPushReceiver();
    const sink = createMemorySink();
    const pipeline = createPipeline({
      pipelines: [
        { signal: 'logs', receivers: [receiver], processors: [processor], exporters: [sink] },
        { signal: 'metrics', receivers: [receiver], processors: [processor], exporters: [sink] },
      ],
    });
    await pipeline.start();
    const outcomes = await Promise.all([
      receiver.consume(batchOf('logs', [{}, { pipeline: str('app') }])),
      receiver.consume(batchOf('metrics', [{}, {}, {}])),
    ]);
    expect(outcomes.map(outcomeKind)).toEqual(['ok', 'ok']);
    expect(sink.batches.flatMap(attrsOf).map((a) => a.pipeline)).toEqual([
      str('agent'),
      str('app'),
      str('agent'),
      str('agent'),
      str('agent'),
    ]);
    await pipeline.shutdown();
    await pipeline.shutdown();
    expect(outcomeKind(await receiver.consume(batchOf('logs', [{}])))).not.toBe('ok');
  });
});

function resourceAttribute(batch: Batch, key: string): string | undefined {
  const rs = decodeRequest('traces', batch.bytes).unwrap().resourceSpans[0]!;
  return rs.resource?.attributes.find((a) => a.key === key)?.value?.stringValue;
}
