import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeExportResponse,
  decodeGrpcRetryDelayMs,
  exportResponseFromJson,
  protoToJson,
  type Signal,
} from '@otlp-kafka/pdata';
import { createLoadGenerator, startOtlpBackend, type OtlpBackend } from '@otlp-kafka/testkit';

let backend: OtlpBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

async function post(path: string, body: Uint8Array | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${backend!.url}${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : Buffer.from(body),
    headers: { 'content-type': 'application/x-protobuf', ...headers },
  });
  return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
}

const path = (s: Signal) => `/v1/${s}`;

describe('startOtlpBackend over HTTP', () => {
  it('accepts protobuf, JSON and gzip and counts every item by id', async () => {
    backend = await startOtlpBackend({ grpc: false });
    expect(backend.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const g = createLoadGenerator({ signals: { traces: 1, metrics: 1, logs: 1 }, itemsPerRequest: 7 });
    const t = g.next('traces');
    const m = g.next('metrics');
    const l = g.next('logs');
    const r1 = await post(path('traces'), t.bytes);
    expect(r1.status).toBe(200);
    expect(r1.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeExportResponse('traces', r1.body).unwrap()).toEqual({ rejectedItems: 0, errorMessage: '' });
    const r2 = await post(path('metrics'), protoToJson('metrics', m.bytes).unwrap(), {
      'content-type': 'application/json',
    });
    expect(r2.status).toBe(200);
    expect(Buffer.from(r2.body).toString()).toBe('{}');
    const r3 = await post(path('logs'), gzipSync(l.bytes), { 'content-encoding': 'gzip' });
    expect(r3.status).toBe(200);
    expect(backend.report(g)).toMatchObject({ sent: 21, delivered: 21, exact: true });
    expect(backend.counts).toEqual({ traces: 7, metrics: 7, logs: 7, requests: 3, items: 21 });
    expect(backend.statuses).toEqual({ 'http 200': 3 });
  });

  it('answers as scripted: 503, 429 with Retry-After, 400, partial success', async () => {
    backend = await startOtlpBackend({ grpc: false });
    const g = createLoadGenerator({ itemsPerRequest: 5 });
    backend.setMode('unavailable', { requests: 1 });
    const unavailable = await post(path('traces'), g.next().bytes);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBeNull();
    backend.setMode('throttle', { requests: 1 });
    const throttled = await post(path('traces'), g.next().bytes);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    backend.setMode('unavailable', { requests: 1, retryAfterSeconds: 7 });
    expect((await post(path('traces'), g.next().bytes)).headers.get('retry-after')).toBe('7');
    backend.setMode('reject', { requests: 1 });
    expect((await post(path('traces'), g.next().bytes)).status).toBe(400);
    backend.setMode('partial', { requests: 1, rejectedItems: 2 });
    const part = await post(path('traces'), g.next().bytes);
    expect(part.status).toBe(200);
    expect(decodeExportResponse('traces', part.body).unwrap().rejectedItems).toBe(2);
    expect(backend.mode).toBe('ok');
    expect((await post(path('traces'), g.next().bytes)).status).toBe(200);
    // Only the partial request's first 3 items and the last request's 5 arrived.
    expect(backend.report(g)).toMatchObject({ sent: 30, delivered: 8, lost: 22 });
    expect(backend.statuses).toEqual({ 'http 503': 2, 'http 429': 1, 'http 400': 1, 'http 200': 2 });
  });

  it('a JSON request gets JSON answers, partial success included', async () => {
    backend = await startOtlpBackend({ grpc: false });
    backend.setMode('partial');
    const g = createLoadGenerator({ itemsPerRequest: 3 });
    const res = await post(path('logs'), protoToJson('logs', g.next('logs').bytes).unwrap(), {
      'content-type': 'application/json',
    });
    expect(exportResponseFromJson('logs', Buffer.from(res.body).toString()).unwrap().rejectedItems).toBe(1);
    backend.setMode('reject');
    const rejected = await post(path('logs'), protoToJson('logs', g.next('logs').bytes).unwrap(), {
      'content-type': 'application/json',
    });
    expect(JSON.parse(Buffer.from(rejected.body).toString())).toEqual({
      code: 3,
      message: 'test backend rejects the data',
    });
  });

  it("'down' cuts connections without answering", async () => {
    backend = await startOtlpBackend({ grpc: false });
    backend.setMode('down');
    await expect(post(path('traces'), createLoadGenerator().next().bytes)).rejects.toThrow();
    expect(backend.counts.items).toBe(0);
    expect(backend.statuses).toEqual({ 'http dropped': 1 });
  });

  it('refuses wrong paths, methods, media types, bad data and oversized bodies', async () => {
    backend = await startOtlpBackend({ grpc: false, maxBodyBytes: 2000 });
    const g = createLoadGenerator({ itemsPerRequest: 2, attributeBytes: 0 });
    expect((await post('/v1/profiles', g.next().bytes)).status).toBe(404);
    expect((await fetch(`${backend.url}/v1/traces`)).status).toBe(405);
    expect((await post(path('traces'), 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(path('traces'), 'x', { 'content-encoding': 'br' })).status).toBe(415);
    const bad = await post(path('traces'), new Uint8Array([0x0a, 0x50, 0x01]));
    expect(bad.status).toBe(400);
    expect(
      (await post(path('traces'), '{"resourceSpans": 5}', { 'content-type': 'application/json' })).status,
    ).toBe(400);
    expect(
      (
        await post(path('traces'), gzipSync(createLoadGenerator({ itemsPerRequest: 100 }).next().bytes), {
          'content-encoding': 'gzip',
        })
      ).status,
    ).toBe(413);
    expect((await post(path('traces'), Buffer.from('not gzip'), { 'content-encoding': 'gzip' })).status).toBe(
      400,
    );
  });

  it('stop() refuses connections; restart() serves the same URL and keeps counting', async () => {
    backend = await startOtlpBackend({ grpc: false });
    const g = createLoadGenerator({ itemsPerRequest: 4 });
    const url = backend.url;
    expect((await post(path('traces'), g.next().bytes)).status).toBe(200);
    await backend.stop();
    expect(backend.running).toBe(false);
    await expect(post(path('traces'), g.next().bytes)).rejects.toThrow();
    await backend.restart();
    expect(backend.url).toBe(url);
    expect((await post(path('traces'), g.next().bytes)).status).toBe(200);
    expect(backend.report(g)).toMatchObject({ sent: 12, delivered: 8, lost: 4 });
  });
});

describe('startOtlpBackend over gRPC', () => {
  const services: Record<Signal, string> = {
    traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
    metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
    logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  };

  function call(client: grpc.Client, signal: Signal, body: Uint8Array) {
    return new Promise<{ error: grpc.ServiceError | null; response?: Buffer }>((resolve) => {
      client.makeUnaryRequest(
        `/${services[signal]}/Export`,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(body),
        (error, response) => resolve({ error, response }),
      );
    });
  }

  it('serves the three Export methods and answers refusals with status details', async () => {
    backend = await startOtlpBackend();
    expect(backend.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = new grpc.Client(backend.grpcAddress, grpc.credentials.createInsecure());
    try {
      const g = createLoadGenerator({ itemsPerRequest: 3 });
      for (const s of ['traces', 'metrics', 'logs'] as const) {
        const { error, response } = await call(client, s, g.next(s).bytes);
        expect(error).toBeNull();
        expect(decodeExportResponse(s, response!).unwrap().rejectedItems).toBe(0);
      }
      backend.setMode('throttle', { requests: 1, retryAfterSeconds: 3 });
      const throttled = await call(client, 'traces', g.next('traces').bytes);
      expect(throttled.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      const details = throttled.error!.metadata.get('grpc-status-details-bin')[0] as Buffer;
      expect(decodeGrpcRetryDelayMs(details)).toBe(3000);
      backend.setMode('unavailable', { requests: 1 });
      expect((await call(client, 'logs', g.next('logs').bytes)).error?.code).toBe(grpc.status.UNAVAILABLE);
      backend.setMode('reject', { requests: 1 });
      expect((await call(client, 'logs', g.next('logs').bytes)).error?.code).toBe(
        grpc.status.INVALID_ARGUMENT,
      );
      expect((await call(client, 'logs', new Uint8Array([0x0a, 0x09]))).error?.code).toBe(
        grpc.status.INVALID_ARGUMENT,
      );
      backend.setMode('partial', { requests: 1, rejectedItems: 2 });
      const part = await call(client, 'metrics', g.next('metrics').bytes);
      expect(decodeExportResponse('metrics', part.response!).unwrap().rejectedItems).toBe(2);
      expect(backend.counts).toMatchObject({ traces: 3, metrics: 4, logs: 3 });
      expect(backend.statuses).toEqual({ 'grpc OK': 4, 'grpc 8': 1, 'grpc 14': 1, 'grpc 3': 2 });
    } finally {
      client.close();
    }
  });

  it('accepts a call whose client gave up during the latency; the retry delivers the items again and is counted as resent', async () => {
    backend = await startOtlpBackend({ latencyMs: 300 });
    const client = new grpc.Client(backend.grpcAddress, grpc.credentials.createInsecure());
    const send = (body: Uint8Array, metadata: grpc.Metadata, deadlineMs: number) =>
      new Promise<grpc.ServiceError | null>((resolve) => {
        client.makeUnaryRequest(
          `/${services.traces}/Export`,
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from(body),
          metadata,
          { deadline: Date.now() + deadlineMs },
          (error) => resolve(error),
        );
      });
    try {
      const g = createLoadGenerator({ itemsPerRequest: 4, trackIds: true });
      const body = g.next('traces').bytes;
      // The client's attempt times out (50 ms) while the backend waits its 300 ms: no answer reaches it...
      expect((await send(body, new grpc.Metadata(), 50))?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
      // ...but the backend accepts the request all the same, as a real one would.
      await backend.sink.waitForIds(g.ids('traces'), 5000);
      expect(backend.resent.size).toBe(0);
      backend.latencyMs = 0;
      const retry = new grpc.Metadata();
      retry.set('grpc-previous-rpc-attempts', '1');
      expect(await send(body, retry, 5000)).toBeNull();
      for (const id of g.ids('traces')) {
        expect(backend.sink.count(id)).toBe(2);
        expect(backend.resent.get(id)).toBe(1);
      }
      expect(backend.report().duplicated).toBe(4);
    } finally {
      client.close();
    }
  });
});
