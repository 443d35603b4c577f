import * as grpc from '@grpc/grpc-js';
import { backpressure, ok, partial, permanent, retryable, type Outcome } from '@otlp-kafka/core';
import { decodeExportResponse, decodeGrpcRetryDelayMs } from '@otlp-kafka/pdata';
import { afterEach, describe, expect, it } from 'vitest';
import { peerAddress } from '../../src/internal/grpc-server.js';
import type { OtlpReceiver, OtlpReceiverOptions } from '../../src/index.js';
import { grpcClient } from '../grpc-client.js';
import { fakeConsumer, protoRequest, startReceiver } from '../helpers.js';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';

let receiver: OtlpReceiver | undefined;
let client: ReturnType<typeof grpcClient> | undefined;
afterEach(async () => {
  client?.close();
  await receiver?.shutdown();
  receiver = client = undefined;
});

async function grpcOnly(
  answer?: () => Outcome | Promise<Outcome>,
  options: OtlpReceiverOptions = {},
  channel = {},
) {
  const consumer = fakeConsumer(answer);
  receiver = await startReceiver({ traces: consumer, metrics: consumer }, { http: false, ...options });
  client = grpcClient(receiver.grpcAddress!, channel);
  return { consumer, client };
}

describe('OTLP/gRPC outcomes', () => {
  it('ok: OK with an empty ExportTraceServiceResponse, the batch as sent', async () => {
    const { consumer, client } = await grpcOnly();
    const body = protoRequest('traces', 3);
    const reply = await client.export('traces', body);
    expect(reply.ok).toBe(true);
    expect(reply.ok && decodeExportResponse('traces', reply.response).unwrap()).toEqual({
      rejectedItems: 0,
      errorMessage: '',
    });
    expect(consumer.batches[0]!.itemCount).toBe(3);
    expect(Buffer.from(consumer.batches[0]!.bytes).equals(body)).toBe(true);
    expect(consumer.batches[0]!.metadata.client).toEqual({ address: '127.0.0.1', transport: 'grpc' });
  });

  it('serves metrics on its own service', async () => {
    const { consumer, client } = await grpcOnly();
    expect((await client.export('metrics', protoRequest('metrics', 4))).ok).toBe(true);
    expect(consumer.batches[0]!.signal).toBe('metrics');
    expect(consumer.batches[0]!.itemCount).toBe(4);
  });

  it('partial: OK with partial_success', async () => {
    const { client } = await grpcOnly(() => partial(2, 'two dropped'));
    const reply = await client.export('traces', protoRequest('traces', 5));
    expect(reply.ok && decodeExportResponse('traces', reply.response).unwrap()).toEqual({
      rejectedItems: 2,
      errorMessage: 'two dropped',
    });
  });

  it('backpressure: RESOURCE_EXHAUSTED with RetryInfo in grpc-status-details-bin', async () => {
    const { client } = await grpcOnly(() => backpressure('memory limit', 1500));
    const reply = await client.export('traces', protoRequest('traces', 1));
    expect(reply).toMatchObject({ ok: false, code: grpc.status.RESOURCE_EXHAUSTED, details: 'memory limit' });
    const details = !reply.ok ? (reply.metadata.get('grpc-status-details-bin')[0] as Buffer) : undefined;
    expect(details).toBeInstanceOf(Buffer);
    expect(decodeGrpcRetryDelayMs(details!)).toBe(1500);
  });

  it('backpressure without a hint still carries RetryInfo, so OTLP clients retry', async () => {
    const { client } = await grpcOnly(() => backpressure('full'));
    const reply = await client.export('traces', protoRequest('traces', 1));
    expect(
      !reply.ok && decodeGrpcRetryDelayMs(reply.metadata.get('grpc-status-details-bin')[0] as Buffer),
    ).toBe(1000);
  });

  it('retryable: UNAVAILABLE, with RetryInfo only when known', async () => {
    let hint: number | undefined = 3000;
    const { client } = await grpcOnly(() => retryable('kafka down', hint));
    const withHint = await client.export('traces', protoRequest('traces', 1));
    expect(withHint).toMatchObject({ ok: false, code: grpc.status.UNAVAILABLE, details: 'kafka down' });
    expect(
      !withHint.ok && decodeGrpcRetryDelayMs(withHint.metadata.get('grpc-status-details-bin')[0] as Buffer),
    ).toBe(3000);
    hint = undefined;
    const without = await client.export('traces', protoRequest('traces', 1));
    expect(
      !without.ok && decodeGrpcRetryDelayMs(without.metadata.get('grpc-status-details-bin')[0] as Buffer),
    ).toBeUndefined();
  });

  it('permanent and malformed data: INVALID_ARGUMENT naming the problem', async () => {
    const { client, consumer } = await grpcOnly(() => permanent('bad attribute'));
    expect(await client.export('traces', protoRequest('traces', 1))).toMatchObject({
      ok: false,
      code: grpc.status.INVALID_ARGUMENT,
      details: 'bad attribute',
    });
    const bad = await client.export('traces', Buffer.from([0x0a, 0x05, 0x01]));
    expect(bad).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT });
    expect(!bad.ok && bad.details).toMatch(/^invalid ExportTraceServiceRequest: /);
    expect(consumer.batches).toHaveLength(1);
  });

  it('UNIMPLEMENTED for a signal without a pipeline', async () => {
    const { client } = await grpcOnly();
    expect(await client.export('logs', protoRequest('logs', 1))).toMatchObject({
      ok: false,
      code: grpc.status.UNIMPLEMENTED,
      details: 'no pipeline is configured for logs',
    });
  });

  it('a consumer that rejects its promise: UNAVAILABLE', async () => {
    const { client } = await grpcOnly(() => Promise.reject(new Error('bug')));
    expect(await client.export('traces', protoRequest('traces', 1))).toMatchObject({
      ok: false,
      code: grpc.status.UNAVAILABLE,
    });
  });
});

describe('OTLP/gRPC limits, compression, metadata', () => {
  it('RESOURCE_EXHAUSTED above maxRecvMsgSizeMib, without reaching the pipeline', async () => {
    const { client, consumer } = await grpcOnly(undefined, {
      grpc: { endpoint: '127.0.0.1:0', maxRecvMsgSizeMib: 0.01 },
    });
    const big = protoRequest('traces', 400);
    expect(big.length).toBeGreaterThan(0.01 * 1024 * 1024);
    expect(await client.export('traces', big)).toMatchObject({
      ok: false,
      code: grpc.status.RESOURCE_EXHAUSTED,
    });
    expect((await client.export('traces', protoRequest('traces', 2))).ok).toBe(true);
    expect(consumer.batches).toHaveLength(1);
  });

  it('accepts gzip-compressed calls, and refuses one that inflates past the limit', async () => {
    const { client, consumer } = await grpcOnly(
      undefined,
      { grpc: { endpoint: '127.0.0.1:0', maxRecvMsgSizeMib: 0.05 } },
      { 'grpc.default_compression_algorithm': grpc.compressionAlgorithms.gzip },
    );
    expect((await client.export('traces', protoRequest('traces', 10))).ok).toBe(true);
    expect(consumer.batches[0]!.itemCount).toBe(10);
    // Very compressible: small on the wire, over the limit once inflated.
    const padded = Buffer.concat([
      protoRequest('traces', 1),
      Buffer.from([0x12, 0x80, 0x80, 0x04]),
      Buffer.alloc(65536),
    ]); // field 2, 64 KiB of zeros
    expect(await client.export('traces', padded)).toMatchObject({
      ok: false,
      code: grpc.status.RESOURCE_EXHAUSTED,
    });
  });

  it('copies request metadata into the batch when includeMetadata is on', async () => {
    const { client, consumer } = await grpcOnly(undefined, {
      grpc: { endpoint: '127.0.0.1:0', includeMetadata: true },
    });
    const md = new grpc.Metadata();
    md.set('x-tenant', 'acme');
    md.set('X-Upper', 'kept lower-case');
    md.set('trace-bin', Buffer.from([1, 2]));
    await client.export('traces', protoRequest('traces', 1), md);
    const headers = consumer.batches[0]!.metadata.headers!;
    expect(headers['x-tenant']).toEqual(['acme']);
    expect(headers['x-upper']).toEqual(['kept lower-case']);
    expect(headers['trace-bin']).toBeUndefined();
  });

  it('counts items by transport grpc', async () => {
    const telemetry = createTestMeter();
    const { client } = await grpcOnly(() => ok(), { meterProvider: telemetry.meterProvider });
    await client.export('traces', protoRequest('traces', 7));
    await client.export('metrics', protoRequest('metrics', 2));
    expect(
      await telemetry.sum('otelcol_receiver_accepted_spans', { receiver: 'otlp', transport: 'grpc' }),
    ).toBe(7);
    expect(await telemetry.sum('otelcol_receiver_accepted_metric_points', { transport: 'grpc' })).toBe(2);
  });
});

describe('peerAddress', () => {
  it('keeps the IP of grpc-js peer strings', () => {
    expect(peerAddress('ipv4:127.0.0.1:5000')).toBe('127.0.0.1');
    expect(peerAddress('127.0.0.1:5000')).toBe('127.0.0.1');
    expect(peerAddress('ipv6:[::1]:5000')).toBe('::1');
    expect(peerAddress('[::1]:5000')).toBe('::1');
    expect(peerAddress('unix:/tmp/sock')).toBe('unix:/tmp/sock');
  });
});
