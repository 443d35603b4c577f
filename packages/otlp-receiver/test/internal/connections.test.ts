import { connect, type Socket } from 'node:net';
import type { Logger } from '@otlp-kafka/core';
import { createTestMeter, type TestMeter } from '@otlp-kafka/testkit/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionRefusals, REFUSAL_LOG_INTERVAL_MS } from '../../src/internal/connections.js';
import { ReceiverMetrics } from '../../src/internal/metrics.js';
import type { OtlpReceiver, OtlpReceiverOptions } from '../../src/index.js';
import { grpcClient } from '../grpc-client.js';
import { fakeConsumer, post, protoRequest, startReceiver } from '../helpers.js';

let receiver: OtlpReceiver | undefined;
const cleanup: Array<() => void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) c();
  await receiver?.shutdown();
  receiver = undefined;
  vi.useRealTimers();
});

/** A raw TCP connection, once connected (the server may not have accepted it yet). */
async function open(address: string): Promise<Socket> {
  const { hostname, port } = new URL(`tcp://${address}`);
  const socket = connect(Number(port), hostname);
  cleanup.push(() => socket.destroy());
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return socket;
}

/** Everything the server sent, once the connection is closed. */
const received = (socket: Socket): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('close', () => resolve(Buffer.concat(chunks).toString()));
  });

const request = (body: Buffer): string =>
  'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n' +
  `Connection: close\r\nContent-Length: ${body.byteLength}\r\n\r\n`;

async function start(options: OtlpReceiverOptions): Promise<{ telemetry: TestMeter }> {
  const telemetry = createTestMeter();
  receiver = await startReceiver(
    { traces: fakeConsumer() },
    { ...options, meterProvider: telemetry.meterProvider },
  );
  return { telemetry };
}

describe('OTLP/HTTP maxConnections', () => {
  it('answers 503 with Connection: close beyond the limit, and serves again once one closed', async () => {
    const { telemetry } = await start({ grpc: false, http: { endpoint: '127.0.0.1:0', maxConnections: 2 } });
    const address = receiver!.httpAddress!;
    const first = await open(address);
    await open(address);

    const refused = await open(address);
    const answer = await received(refused);
    expect(answer).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(answer).toContain('\r\nConnection: close\r\n');
    expect(answer).toContain('too many connections');
    expect(
      await telemetry.sum('otelcol_receiver_refused_connections', { receiver: 'otlp', transport: 'http' }),
    ).toBe(1);

    // A connection within the limit is served; the server closes it after its answer (Connection: close).
    const body = protoRequest('traces', 1);
    const served = received(first);
    first.write(request(body));
    first.write(body);
    expect(await served).toMatch(/^HTTP\/1\.1 200/);

    // One of the two closed: a new connection is served again.
    const reply = await post(receiver!.httpUrl!, '/v1/traces', body, {
      'content-type': 'application/x-protobuf',
    });
    expect(reply.status).toBe(200);
    expect(await telemetry.sum('otelcol_receiver_refused_connections', { transport: 'http' })).toBe(1);
  });

  it('does not limit with maxConnections 0', async () => {
    await start({ grpc: false, http: { endpoint: '127.0.0.1:0', maxConnections: 0 } });
    for (let i = 0; i < 5; i++) await open(receiver!.httpAddress!);
    const reply = await post(receiver!.httpUrl!, '/v1/traces', protoRequest('traces', 1), {
      'content-type': 'application/x-protobuf',
    });
    expect(reply.status).toBe(200);
  });
});

describe('OTLP/gRPC maxConnections', () => {
  it('closes a connection beyond the limit at once, and serves again once one closed', async () => {
    const { telemetry } = await start({
      http: false,
      grpc: {
        endpoint: '127.0.0.1:0',
        maxConnections: 1,
        // The server closes the client's idle connection itself, so the slot is free before the client reconnects.
        keepalive: { serverParameters: { maxConnectionIdleMs: 300 } },
      },
    });
    const client = grpcClient(receiver!.grpcAddress!);
    cleanup.push(() => client.close());
    expect((await client.export('traces', protoRequest('traces', 1))).ok).toBe(true);

    const refused = await open(receiver!.grpcAddress!);
    expect(await received(refused)).toBe('');
    expect(
      await telemetry.sum('otelcol_receiver_refused_connections', { receiver: 'otlp', transport: 'grpc' }),
    ).toBe(1);

    // The client's connection is closed by the server (idle), then a new one is served. The slot is
    // free once the server's socket closed, which can come just after the client saw the GOAWAY.
    await client.closedByServer();
    const openNow = async () =>
      (await telemetry.sum('otelcol_receiver_open_connections', { transport: 'grpc' })) ?? 0;
    for (const deadline = Date.now() + 10_000; (await openNow()) > 0 && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 10));
    expect(await openNow()).toBe(0);
    expect((await client.export('traces', protoRequest('traces', 2))).ok).toBe(true);
  });
});

describe('ConnectionRefusals', () => {
  it('counts every refusal and warns at most once per interval, with the count since the last warning', async () => {
    vi.useFakeTimers({ now: 0 });
    const telemetry = createTestMeter();
    const warn = vi.fn();
    const logger = { warn } as unknown as Logger;
    const refusals = new ConnectionRefusals(
      'http',
      10,
      new ReceiverMetrics(telemetry.meterProvider.getMeter('t'), 'otlp'),
      logger,
    );
    refusals.refused('10.0.0.1');
    for (let i = 0; i < 4; i++) refusals.refused('10.0.0.2');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({
      refused: 1,
      maxConnections: 10,
      remoteAddress: '10.0.0.1',
    });

    vi.setSystemTime(REFUSAL_LOG_INTERVAL_MS);
    refusals.refused('10.0.0.3');
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatchObject({ refused: 5, remoteAddress: '10.0.0.3' });
    expect(await telemetry.sum('otelcol_receiver_refused_connections', { transport: 'http' })).toBe(6);
  });
});
