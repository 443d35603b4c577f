import { createServer } from 'node:net';
import { Agent, request } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { ok, type Outcome } from '@otlp-kafka/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtlpReceiver, type OtlpReceiver } from '../src/index.js';
import { grpcClient } from './grpc-client.js';
import { fakeConsumer, post, protoRequest, startReceiver } from './helpers.js';

const PROTO = { 'content-type': 'application/x-protobuf' };

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.shutdown();
  receiver = undefined;
});

function held() {
  const waiting: ((o: Outcome) => void)[] = [];
  const consumer = fakeConsumer(() => new Promise<Outcome>((resolve) => waiting.push(resolve)));
  return {
    consumer,
    waiting,
    async arrived(n: number): Promise<void> {
      while (waiting.length < n) await new Promise((r) => setTimeout(r, 5));
    },
  };
}

describe('lifecycle', () => {
  it('serves all three signals on both transports, each to its own pipeline', async () => {
    const sinks = { traces: fakeConsumer(), metrics: fakeConsumer(), logs: fakeConsumer() };
    receiver = await startReceiver(sinks);
    const client = grpcClient(receiver.grpcAddress!);
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      expect((await post(receiver.httpUrl!, `/v1/${signal}`, protoRequest(signal, 2), PROTO)).status).toBe(
        200,
      );
      expect((await client.export(signal, protoRequest(signal, 3))).ok).toBe(true);
    }
    client.close();
    for (const [signal, sink] of Object.entries(sinks)) {
      expect(sink.batches.map((b) => [b.signal, b.itemCount, b.metadata.client?.transport])).toEqual([
        [signal, 2, 'http'],
        [signal, 3, 'grpc'],
      ]);
    }
  });

  it('reports bound addresses once started', async () => {
    const r = createOtlpReceiver({ grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } });
    expect(r.grpcAddress).toBeUndefined();
    await r.start();
    receiver = r;
    expect(r.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(r.httpAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(r.httpUrl).toBe(`http://${r.httpAddress}`);
    expect(r.grpcAddress).not.toBe(r.httpAddress);
  });

  it('refuses connect() after start and a second pipeline for one signal', async () => {
    const r = createOtlpReceiver({ http: { endpoint: '127.0.0.1:0' } });
    r.connect('traces', fakeConsumer());
    expect(() => r.connect('traces', fakeConsumer())).toThrow(/traces is already connected/);
    await r.start();
    receiver = r;
    expect(() => r.connect('logs', fakeConsumer())).toThrow(/after start/);
  });

  it('start twice is safe: the same promise, listening once', async () => {
    const r = createOtlpReceiver({ http: { endpoint: '127.0.0.1:0' } });
    const first = r.start();
    expect(r.start()).toBe(first);
    await first;
    receiver = r;
    const address = r.httpAddress;
    await r.start();
    expect(r.httpAddress).toBe(address);
  });

  it('a start after shutdown rejects with ERR_SHUTDOWN and listens on nothing', async () => {
    const r = createOtlpReceiver({ http: { endpoint: '127.0.0.1:0' } });
    await r.shutdown();
    await expect(r.start()).rejects.toMatchObject({ code: 'ERR_SHUTDOWN' });
    expect(r.httpAddress).toBeUndefined();
  });

  it('bounds shutdown by the time the caller has left when shorter than its own', async () => {
    const h = held();
    receiver = await startReceiver({ traces: h.consumer }, { shutdownTimeoutMs: 60_000 });
    const httpReply = post(receiver.httpUrl!, '/v1/traces', protoRequest('traces', 1), PROTO).catch(
      (e: Error) => e,
    );
    await h.arrived(1);
    // With its own 60 s this would hang the test; the caller's 100 ms ends it.
    await receiver.shutdown({ timeoutMs: 100 });
    expect(await httpReply).toBeInstanceOf(Error);
  });

  it('fails start() when a port is taken, releasing the other one', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const r = createOtlpReceiver({
      grpc: { endpoint: '127.0.0.1:0' },
      http: { endpoint: `127.0.0.1:${port}` },
    });
    await expect(r.start()).rejects.toThrow(/cannot listen/);
    blocker.close();
    await r.shutdown();
  });

  it('at shutdown, in-flight requests get their real outcome; then the listeners close', async () => {
    const h = held();
    receiver = await startReceiver({ traces: h.consumer });
    const url = receiver.httpUrl!;
    const client = grpcClient(receiver.grpcAddress!);
    const httpReply = post(url, '/v1/traces', protoRequest('traces', 1), PROTO);
    const grpcReply = client.export('traces', protoRequest('traces', 1));
    await h.arrived(2);
    let stopped = false;
    const stopping = receiver.shutdown().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    for (const resolve of h.waiting) resolve(ok());
    expect((await httpReply).status).toBe(200);
    expect((await grpcReply).ok).toBe(true);
    await stopping;
    client.close();
    await expect(post(url, '/v1/traces', protoRequest('traces', 1), PROTO)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('answers a new request on a kept-alive connection during shutdown with 503 and closes it', async () => {
    const h = held();
    receiver = await startReceiver({ traces: h.consumer }, { grpc: false });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = () =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = request(
          `${receiver!.httpUrl}/v1/traces`,
          { method: 'POST', headers: PROTO, agent },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
          },
        );
        req.on('error', reject);
        req.end(protoRequest('traces', 1));
      });
    const first = send();
    await h.arrived(1);
    const stopping = receiver.shutdown();
    const second = send(); // queued on the one kept-alive socket
    h.waiting[0]!(ok());
    expect(await first).toMatchObject({ status: 200, connection: 'close' });
    const late = await second.catch((e: Error) => e);
    // Either the socket was closed before it was reused (the agent reports it) or it was answered 503.
    if (!(late instanceof Error)) expect(late.status).toBe(503);
    await stopping;
    agent.destroy();
    expect(h.consumer.batches).toHaveLength(1);
  });

  it('bounds shutdown by shutdownTimeoutMs when the pipeline never answers', async () => {
    const h = held();
    receiver = await startReceiver({ traces: h.consumer }, { shutdownTimeoutMs: 200 });
    const client = grpcClient(receiver.grpcAddress!, {});
    const httpReply = post(receiver.httpUrl!, '/v1/traces', protoRequest('traces', 1), PROTO).catch(
      (e: Error) => e,
    );
    const grpcReply = client.export('traces', protoRequest('traces', 1));
    await h.arrived(2);
    await receiver.shutdown();
    expect(await httpReply).toBeInstanceOf(Error); // connection dropped, never a 200
    expect(await grpcReply).toMatchObject({ ok: false });
    expect((await grpcReply).ok || ((await grpcReply) as { code: number }).code).not.toBe(grpc.status.OK);
    client.close();
  });
});
