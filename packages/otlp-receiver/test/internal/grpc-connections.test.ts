import { connect as connectHttp2 } from 'node:http2';
import { connect } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from '../../src/index.js';
import { grpcClient } from '../grpc-client.js';
import { fakeConsumer, protoRequest, startReceiver } from '../helpers.js';

let receiver: OtlpReceiver | undefined;
const cleanup: Array<() => void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) c();
  await receiver?.shutdown();
  receiver = undefined;
});

const grpcOnly = async (): Promise<void> => {
  receiver = await startReceiver(
    {},
    { http: false, grpc: { keepalive: { serverParameters: { maxConnectionIdleMs: 150 } } } },
  );
};

describe('OTLP/gRPC idle connections', () => {
  it('closes an HTTP/2 session without streams after maxConnectionIdleMs', async () => {
    await grpcOnly();
    const session = connectHttp2(`http://${receiver!.grpcAddress!}`);
    cleanup.push(() => session.destroy());
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    await new Promise<void>((resolve) => session.once('close', () => resolve()));
    await goaway;
    expect(session.closed).toBe(true);
  });
});

describe('OTLP/gRPC connections without the HTTP/2 preface', () => {
  it('closes a TCP connection that sends nothing after prefaceTimeoutMs; a real client keeps its connection', async () => {
    const telemetry = createTestMeter();
    receiver = await startReceiver(
      { traces: fakeConsumer() },
      {
        http: false,
        grpc: { endpoint: '127.0.0.1:0', prefaceTimeoutMs: 100 },
        meterProvider: telemetry.meterProvider,
      },
    );
    const client = grpcClient(receiver.grpcAddress!);
    cleanup.push(() => client.close());
    expect((await client.export('traces', protoRequest('traces', 1))).ok).toBe(true);

    const { hostname, port } = new URL(`tcp://${receiver.grpcAddress!}`);
    const silent = connect(Number(port), hostname);
    cleanup.push(() => silent.destroy());
    silent.on('error', () => {});
    silent.resume(); // the server's SETTINGS arrive before the close
    // Accepted after the client's connection: once it is closed, the client's timeout has passed too.
    await new Promise<void>((resolve) => silent.once('close', () => resolve()));
    expect(
      await telemetry.sum('otelcol_receiver_closed_connections', {
        receiver: 'otlp',
        transport: 'grpc',
        reason: 'preface_timeout',
      }),
    ).toBe(1);
    expect(client.state()).toBe(grpc.connectivityState.READY);
    expect((await client.export('traces', protoRequest('traces', 2))).ok).toBe(true);
    expect(client.state()).toBe(grpc.connectivityState.READY);
  });
});
