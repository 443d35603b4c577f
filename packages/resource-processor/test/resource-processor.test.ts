import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { outcomeKind, PipelineError, refusalOf, type Outcome } from '@otlp-kafka/core';
import {
  decodeRequest,
  trustedBatch,
  withMetadata,
  type Batch,
  type KeyValue,
  type Resource,
  type Signal,
} from '@otlp-kafka/pdata';
import { createLoadGenerator, createMemorySink, itemIds } from '@otlp-kafka/testkit';
import { createResourceProcessor, type ResourceProcessorOptions } from '@otlp-kafka/resource-processor';

function resources(batch: Batch): Resource[] {
  const s = batch.signal;
  if (s === 'traces')
    return decodeRequest(s, batch.bytes)
      .unwrap()
      .resourceSpans.map((r) => r.resource!);
  if (s === 'metrics')
    return decodeRequest(s, batch.bytes)
      .unwrap()
      .resourceMetrics.map((r) => r.resource!);
  return decodeRequest('logs', batch.bytes)
    .unwrap()
    .resourceLogs.map((r) => r.resource!);
}

function attrs(resource: Resource): Record<string, unknown> {
  return Object.fromEntries(
    resource.attributes.map((a: KeyValue) => [
      a.key,
      a.value?.stringValue ?? a.value?.intValue ?? a.value?.doubleValue ?? a.value?.boolValue,
    ]),
  );
}

async function run(options: ResourceProcessorOptions, batch: Batch) {
  const sink = createMemorySink();
  await sink.start();
  const p = createResourceProcessor(options)(sink);
  await p.start();
  const outcome = await p.consume(batch);
  return { outcome, sent: sink.batches[0], sink };
}

const generator = (signal: Signal = 'traces') =>
  createLoadGenerator({ resources: 2, resourcesPerRequest: 2, itemsPerRequest: 6, signals: { [signal]: 1 } });

describe('resource processor actions', () => {
  it('upsert sets a value whether or not it was there, on every resource', async () => {
    const { outcome, sent } = await run(
      {
        attributes: [
          { key: 'deployment.environment', action: 'upsert', value: 'prod' },
          { key: 'service.name', action: 'upsert', value: 'renamed' },
        ],
      },
      generator().next(),
    );
    expect(outcomeKind(outcome)).toBe('ok');
    for (const r of resources(sent!))
      expect(attrs(r)).toMatchObject({ 'deployment.environment': 'prod', 'service.name': 'renamed' });
  });

  it('insert only adds missing keys; update only changes present ones', async () => {
    const { sent } = await run(
      {
        attributes: [
          { key: 'service.name', action: 'insert', value: 'ignored' },
          { key: 'team', action: 'insert', value: 'core' },
          { key: 'host.name', action: 'update', value: 'masked' },
          { key: 'absent', action: 'update', value: 'never' },
        ],
      },
      generator().next(),
    );
    const [r0, r1] = resources(sent!).map(attrs);
    expect(r0).toMatchObject({ 'service.name': 'svc-0', team: 'core', 'host.name': 'masked' });
    expect(r1).toMatchObject({ 'service.name': 'svc-1', team: 'core', 'host.name': 'masked' });
    expect(r0).not.toHaveProperty('absent');
  });

  it('delete removes a key and hash replaces a value with its SHA-1 hex', async () => {
    const { sent } = await run(
      {
        attributes: [
          { key: 'host.name', action: 'delete' },
          { key: 'service.instance.id', action: 'hash' },
        ],
      },
      generator().next(),
    );
    const [r0] = resources(sent!).map(attrs);
    expect(r0).not.toHaveProperty('host.name');
    expect(r0!['service.instance.id']).toBe(createHash('sha1').update('s1-inst-0').digest('hex'));
  });

  it('fromAttribute copies another attribute and is skipped when that one is absent', async () => {
    const { sent } = await run(
      {
        attributes: [
          { key: 'k8s.node.name', action: 'upsert', fromAttribute: 'host.name' },
          { key: 'copy.of.absent', action: 'upsert', fromAttribute: 'nope' },
        ],
      },
      generator().next(),
    );
    const [r0] = resources(sent!).map(attrs);
    expect(r0!['k8s.node.name']).toBe('host-0');
    expect(r0).not.toHaveProperty('copy.of.absent');
  });

  it('typed values: int, double, bool', async () => {
    const { sent } = await run(
      {
        attributes: [
          { key: 'i', action: 'upsert', value: 42 },
          { key: 'd', action: 'upsert', value: 1.5 },
          { key: 'b', action: 'upsert', value: true },
          { key: 'big', action: 'upsert', value: 2n ** 40n },
        ],
      },
      generator().next(),
    );
    expect(attrs(resources(sent!)[0]!)).toMatchObject({ i: 42n, d: 1.5, b: true, big: 2n ** 40n });
  });

  it.each(['traces', 'metrics', 'logs'] as const)(
    '%s: edits the resource and leaves items and metadata as they were',
    async (signal) => {
      const g = generator(signal);
      const input = withMetadata(g.next(signal), { topic: 'x', headers: { a: ['1'] } });
      const { outcome, sent } = await run(
        { attributes: [{ key: 'env', action: 'insert', value: 'test' }] },
        input,
      );
      expect(outcomeKind(outcome)).toBe('ok');
      expect(sent!.signal).toBe(signal);
      expect(sent!.metadata).toEqual(input.metadata);
      expect(sent!.itemCount).toBe(input.itemCount);
      expect(itemIds(sent!).unwrap()).toEqual(itemIds(input).unwrap());
      for (const r of resources(sent!)) expect(attrs(r).env).toBe('test');
    },
  );
});

describe('resource processor outcomes and lifecycle', () => {
  it('a batch it cannot edit is permanent, names the problem and is not passed on', async () => {
    const bad = trustedBatch('traces', new Uint8Array([0x0a, 0x10, 0x0a, 0x02]), 1);
    const { outcome, sink } = await run({ attributes: [{ key: 'env', action: 'upsert', value: 'x' }] }, bad);
    expect(outcomeKind(outcome)).toBe('permanent');
    expect(refusalOf(outcome)?.code).toBe('ERR_INVALID_DATA');
    expect(refusalOf(outcome)?.message).toMatch(/^resource: cannot edit resource attributes: .*offset/);
    expect(sink.callsMade).toBe(0);
  });

  it('passes the next consumer outcome through', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.failNext({ kind: 'backpressure', retryAfterMs: 10 });
    const p = createResourceProcessor({ attributes: [{ key: 'a', action: 'delete' }] })(sink);
    await p.start();
    expect(outcomeKind(await p.consume(generator().next()))).toBe('backpressure');
    expect(outcomeKind(await p.consume(generator().next()))).toBe('ok');
  });

  it('shutdown waits for batches being passed on, then refuses new ones', async () => {
    const sink = createMemorySink();
    await sink.start();
    sink.pause();
    const p = createResourceProcessor({ attributes: [{ key: 'a', action: 'delete' }] })(sink);
    await p.start();
    const pending = p.consume(generator().next());
    let stopped = false;
    const s = p.shutdown().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    const late: Outcome = await p.consume(generator().next());
    expect(refusalOf(late)?.code).toBe('ERR_SHUTDOWN');
    sink.resume();
    await s;
    expect(outcomeKind(await pending)).toBe('ok');
  });
});

describe('resource processor lifecycle rules', () => {
  const options: ResourceProcessorOptions = {
    name: 'resource/env',
    attributes: [{ key: 'a', action: 'delete' }],
  };

  it('refuses before start as retryable ERR_NOT_STARTED naming the processor, passing nothing on', async () => {
    const sink = createMemorySink();
    await sink.start();
    const p = createResourceProcessor(options)(sink);
    const early = await p.consume(generator().next());
    expect(outcomeKind(early)).toBe('retryable');
    expect(refusalOf(early)?.code).toBe('ERR_NOT_STARTED');
    expect(refusalOf(early)?.message).toMatch(/^resource\/env: not started/);
    expect(sink.callsMade).toBe(0);
    const first = p.start();
    expect(p.start()).toBe(first);
    await first;
    expect(outcomeKind(await p.consume(generator().next()))).toBe('ok');
  });

  it('shutdown waits only the time the caller has left, when shorter than its own', async () => {
    vi.useFakeTimers();
    try {
      const p = createResourceProcessor({ ...options, shutdownTimeoutMs: 10_000 })({
        consume: () => new Promise<Outcome>(() => {}),
      });
      await p.start();
      void p.consume(generator().next());
      let stopped = false;
      const s = p.shutdown({ timeoutMs: 300 }).then(() => (stopped = true));
      await vi.advanceTimersByTimeAsync(299);
      expect(stopped).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await s;
      expect(p.shutdown()).toBe(p.shutdown());
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('resource processor options', () => {
  const invalid = (options: unknown, pattern: RegExp) => {
    let error: unknown;
    try {
      createResourceProcessor(options as ResourceProcessorOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('ERR_INVALID_OPTIONS');
    expect((error as PipelineError).message).toMatch(pattern);
  };

  it('needs at least one action', () => {
    invalid({ attributes: [] }, /attributes: at least one attribute action is required/);
    invalid(undefined, /attributes/);
  });

  it('insert / update / upsert need value or fromAttribute, exactly one', () => {
    invalid(
      { attributes: [{ key: 'k', action: 'insert' }] },
      /attributes\.0\.value: insert of "k" needs value or fromAttribute/,
    );
    invalid(
      { attributes: [{ key: 'k', action: 'upsert', value: 'v', fromAttribute: 'f' }] },
      /attributes\.0\.fromAttribute: .*not both/,
    );
  });

  it('delete and hash take neither', () => {
    invalid(
      {
        attributes: [
          { key: 'ok', action: 'upsert', value: 1 },
          { key: 'k', action: 'delete', value: 'v' },
        ],
      },
      /attributes\.1\.value: delete of "k" takes no value/,
    );
    invalid(
      { attributes: [{ key: 'k', action: 'hash', fromAttribute: 'x' }] },
      /attributes\.0\.fromAttribute: hash of "k"/,
    );
  });

  it('names bad keys, actions and values', () => {
    invalid({ attributes: [{ key: '', action: 'delete' }] }, /attributes\.0\.key/);
    invalid({ attributes: [{ key: 'k', action: 'rename' }] }, /attributes\.0\.action/);
    invalid({ attributes: [{ key: 'k', action: 'upsert', value: Number.NaN }] }, /attributes\.0\.value/);
    invalid(
      { attributes: [{ key: 'k', action: 'upsert', value: { nested: true } }] },
      /attributes\.0\.value/,
    );
    invalid({ attributes: [{ key: 'k', action: 'delete', from_attribute: 'x' }] }, /from_attribute/);
  });
});
