import { status } from '@grpc/grpc-js';
import { outcomeKind, refusalOf } from '@otlp-kafka/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtlpExporter, type OtlpExporter, type OtlpExporterOptions } from '../src/index.js';
import { batchOf, deferred, partialSuccessBytes, retryInfoStatus, state, statusBytes } from './helpers.js';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';
import { freePort, startGrpcServer, startHttpServer } from './servers.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** Fast retries for real-time tests: the schedule itself is covered with fake timers elsewhere. */
const FAST = { initialIntervalMs: 10, maxIntervalMs: 50, randomizationFactor: 0 };

async function exporter(options: OtlpExporterOptions): Promise<OtlpExporter> {
  const e = createOtlpExporter(options);
  await e.start();
  stops.push(() => e.shutdown());
  return e;
}

async function http(...args: Parameters<typeof startHttpServer>) {
  const s = await startHttpServer(...args);
  stops.push(() => s.stop());
  return s;
}

async function grpc(...args: Parameters<typeof startGrpcServer>) {
  const s = await startGrpcServer(...args);
  stops.push(() => s.stop());
  return s;
}

describe('createOtlpExporter over OTLP/HTTP', () => {
  it('delivers a batch and counts the sent items', async () => {
    const s = await http();
    const metrics = createTestMeter();
    const { meterProvider } = metrics;
    const e = await exporter({ endpoint: s.url, meterProvider, name: 'otlphttp/backend' });
    const batch = batchOf('traces', 4);
    expect(outcomeKind(await e.consume(batch))).toBe('ok');
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.body.equals(Buffer.from(batch.bytes))).toBe(true);
    expect(await metrics.sum('otelcol_exporter_sent_spans', { exporter: 'otlphttp/backend' })).toBe(4);
  });

  it('retries 503 until the backend answers 200', async () => {
    const s = await http([{ status: 503 }, { status: 503 }, { status: 200 }]);
    const e = await exporter({ endpoint: s.url, retryOnFailure: FAST });
    const batch = batchOf('logs', 2);
    expect(outcomeKind(await e.consume(batch))).toBe('ok');
    expect(s.requests).toHaveLength(3);
    for (const r of s.requests) expect(r.body.equals(Buffer.from(batch.bytes))).toBe(true);
  });

  it('does not retry a 400 and returns it as permanent', async () => {
    const s = await http([{ status: 400, body: statusBytes(3, 'malformed') }, { status: 200 }]);
    const e = await exporter({ endpoint: s.url, retryOnFailure: FAST });
    const outcome = await e.consume(batchOf('traces', 1));
    expect(outcome.isErr() && outcome.error.kind).toBe('permanent');
    expect(refusalOf(outcome)?.message).toContain('malformed');
    expect(s.requests).toHaveLength(1);
  });

  it('returns a 200 with partial_success as partial', async () => {
    const s = await http([{ body: partialSuccessBytes(1, 'one dropped') }]);
    const metrics = createTestMeter();
    const { meterProvider } = metrics;
    const e = await exporter({ endpoint: s.url, meterProvider });
    const outcome = await e.consume(batchOf('metrics', 3));
    expect(outcome.isOk() && outcome.value).toEqual({
      kind: 'partial',
      rejectedItems: 1,
      message: 'one dropped',
    });
    expect(await metrics.sum('otelcol_exporter_sent_metric_points')).toBe(2);
    expect(await metrics.sum('otelcol_exporter_send_failed_metric_points', { outcome: 'partial' })).toBe(1);
  });

  it('without retries returns 429 as retryable with its Retry-After', async () => {
    const s = await http([{ status: 429, headers: { 'retry-after': '30' } }]);
    const e = await exporter({ endpoint: s.url, retryOnFailure: { enabled: false } });
    const outcome = await e.consume(batchOf('traces', 1));
    expect(outcome.isErr() && outcome.error).toMatchObject({ kind: 'retryable', retryAfterMs: 30_000 });
  });

  it('keeps retrying while the connection is refused and delivers once the backend is up', async () => {
    const port = await freePort();
    const e = await exporter({ endpoint: `http://127.0.0.1:${port}`, retryOnFailure: FAST });
    const pending = e.consume(batchOf('traces', 2));
    await new Promise((r) => setTimeout(r, 100));
    expect(await state(pending)).toBe('pending');
    const s = await http([], undefined, port);
    expect(outcomeKind(await pending)).toBe('ok');
    expect(s.requests).toHaveLength(1);
  });

  it('does not acknowledge the caller before the backend answered', async () => {
    const release = deferred();
    const s = await http([{ hold: release.promise }]);
    const e = await exporter({ endpoint: s.url });
    const pending = e.consume(batchOf('traces', 1));
    await s.nextRequest();
    expect(await state(pending)).toBe('pending');
    release.resolve();
    expect(outcomeKind(await pending)).toBe('ok');
  });

  it('answers backpressure when the sending queue is full, and takes data again once it drains', async () => {
    const release = deferred();
    const s = await http([{ hold: release.promise }]);
    const e = await exporter({ endpoint: s.url, sendingQueue: { numConsumers: 2, queueSize: 3 } });
    const accepted = Array.from({ length: 5 }, (_, i) => e.consume(batchOf('logs', 1, i)));
    while (s.requests.length < 2) await s.nextRequest();
    expect(e.sending).toBe(2);
    expect(e.queueSize).toBe(3);
    const refused = await e.consume(batchOf('logs', 1));
    expect(refused.isErr() && refused.error.kind).toBe('backpressure');
    release.resolve();
    expect((await Promise.all(accepted)).map(outcomeKind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(s.requests).toHaveLength(5);
    expect(outcomeKind(await e.consume(batchOf('logs', 1)))).toBe('ok');
  });

  it('sends OTLP/JSON to per-signal URLs', async () => {
    const s = await http([{ headers: { 'content-type': 'application/json' }, body: '{}' }]);
    const e = await exporter({
      endpoint: 'http://unused.invalid:1',
      logsEndpoint: `${s.url}/custom/logs`,
      encoding: 'json',
    });
    expect(outcomeKind(await e.consume(batchOf('logs', 2)))).toBe('ok');
    expect(s.requests[0]!.path).toBe('/custom/logs');
    expect(JSON.parse(s.requests[0]!.body.toString())).toHaveProperty('resourceLogs');
  });

  it('lets an in-flight send finish at shutdown and refuses new data', async () => {
    const release = deferred();
    const s = await http([{ hold: release.promise }]);
    const e = createOtlpExporter({ endpoint: s.url });
    await e.start();
    const pending = e.consume(batchOf('traces', 1));
    await s.nextRequest();
    const stopped = e.shutdown();
    const late = await e.consume(batchOf('traces', 1));
    expect(late.isErr() && late.error.kind).toBe('retryable');
    expect(await state(stopped)).toBe('pending');
    release.resolve();
    expect(outcomeKind(await pending)).toBe('ok');
    await stopped;
  });
});

describe('createOtlpExporter over OTLP/gRPC', () => {
  it('delivers, retrying UNAVAILABLE', async () => {
    const s = await grpc([{ code: status.UNAVAILABLE }, {}]);
    const metrics = createTestMeter();
    const { meterProvider } = metrics;
    const e = await exporter({
      protocol: 'grpc',
      endpoint: `http://${s.address}`,
      retryOnFailure: FAST,
      meterProvider,
    });
    const batch = batchOf('traces', 3);
    expect(outcomeKind(await e.consume(batch))).toBe('ok');
    expect(s.calls).toHaveLength(2);
    expect(s.calls[1]!.body.equals(Buffer.from(batch.bytes))).toBe(true);
    expect(await metrics.sum('otelcol_exporter_sent_spans', { exporter: 'otlp' })).toBe(3);
  });

  it('honours RetryInfo on RESOURCE_EXHAUSTED and treats INVALID_ARGUMENT as permanent', async () => {
    const throttled = retryInfoStatus(status.RESOURCE_EXHAUSTED, 'busy', 20);
    const s = await grpc([
      { code: status.RESOURCE_EXHAUSTED, statusDetails: throttled },
      {},
      { code: status.INVALID_ARGUMENT, details: 'bad request' },
    ]);
    const e = await exporter({
      protocol: 'grpc',
      endpoint: s.address,
      tls: { insecure: true },
      retryOnFailure: FAST,
    });
    expect(outcomeKind(await e.consume(batchOf('metrics', 1)))).toBe('ok');
    expect(s.calls).toHaveLength(2);
    const bad = await e.consume(batchOf('metrics', 1));
    expect(bad.isErr() && bad.error.kind).toBe('permanent');
    expect(s.calls).toHaveLength(3);
  });

  it('returns partial_success as partial', async () => {
    const s = await grpc([{ response: partialSuccessBytes(2, 'two late') }]);
    const e = await exporter({ protocol: 'grpc', endpoint: `http://${s.address}` });
    const outcome = await e.consume(batchOf('logs', 5));
    expect(outcome.isOk() && outcome.value).toEqual({
      kind: 'partial',
      rejectedItems: 2,
      message: 'two late',
    });
  });

  it('re-sends a batch whose attempt timed out although the backend already had it, marked as a retry', async () => {
    // The backend took the first call and never answered in time (a slow backend, or an answer
    // that arrived after the attempt timeout): at-least-once, the same items go again.
    const s = await grpc([{ hang: true }, {}]);
    const e = await exporter({
      protocol: 'grpc',
      endpoint: `http://${s.address}`,
      timeoutMs: 100,
      retryOnFailure: FAST,
    });
    const batch = batchOf('traces', 3);
    expect(outcomeKind(await e.consume(batch))).toBe('ok');
    expect(s.calls).toHaveLength(2);
    for (const call of s.calls) expect(call.body.equals(Buffer.from(batch.bytes))).toBe(true);
    expect(s.calls[0]!.metadata.get('grpc-previous-rpc-attempts')).toEqual([]);
    expect(s.calls[1]!.metadata.get('grpc-previous-rpc-attempts')).toEqual(['1']);
  });

  it('keeps retrying while nothing listens and delivers once the server is up', async () => {
    const port = await freePort();
    const e = await exporter({
      protocol: 'grpc',
      endpoint: `http://127.0.0.1:${port}`,
      retryOnFailure: FAST,
    });
    const pending = e.consume(batchOf('logs', 1));
    await new Promise((r) => setTimeout(r, 100));
    expect(await state(pending)).toBe('pending');
    const s = await grpc([], undefined, port);
    expect(outcomeKind(await pending)).toBe('ok');
    expect(s.calls).toHaveLength(1);
  });
});
