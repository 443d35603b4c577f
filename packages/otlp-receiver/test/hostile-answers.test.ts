import { ok, partial, type Outcome } from '@otlp-kafka/core';
import type { Signal } from '@otlp-kafka/pdata';
import { afterEach, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from '../src/index.js';
import { grpcClient } from './grpc-client.js';
import { fakeConsumer, post, protoRequest, startReceiver } from './helpers.js';

const PATH: Record<Signal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };
const SIGNALS: Signal[] = ['traces', 'metrics', 'logs'];

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.shutdown();
  receiver = undefined;
});

/**
 * Issue 17: a request whose own items are refused is answered with that
 * refusal. The pipeline answers partial (the Kafka exporter's "items too large
 * for Kafka", or a batch merged with other requests): when the count covers
 * every item of the request it is a 400 / INVALID_ARGUMENT, not a 200.
 */
describe('otlp receiver: a request all of whose items were refused', () => {
  const answer = (batch: { itemCount: number }): Outcome =>
    batch.itemCount === 1 ? partial(1, '1 traces items too large for Kafka') : partial(1, 'one refused');

  it.each(SIGNALS)(
    '%s over HTTP: 400 for all refused, 200 partial for some, 200 for none',
    async (signal) => {
      const consumer = fakeConsumer(answer);
      receiver = await startReceiver({ [signal]: consumer });
      const url = receiver.httpUrl!;
      const headers = { 'content-type': 'application/x-protobuf' };
      const all = await post(url, PATH[signal], protoRequest(signal, 1), headers);
      expect(all.status).toBe(400);
      expect(all.body.toString('latin1')).toContain('1 traces items too large for Kafka');
      const some = await post(url, PATH[signal], protoRequest(signal, 3), headers);
      expect(some.status).toBe(200);
      const none = fakeConsumer(() => ok());
      await receiver.shutdown();
      receiver = await startReceiver({ [signal]: none });
      expect((await post(receiver.httpUrl!, PATH[signal], protoRequest(signal, 1), headers)).status).toBe(
        200,
      );
    },
  );

  it.each(SIGNALS)(
    '%s over gRPC: INVALID_ARGUMENT for all refused, OK with partial_success for some',
    async (signal) => {
      receiver = await startReceiver({ [signal]: fakeConsumer(answer) });
      const client = grpcClient(receiver.grpcAddress!);
      try {
        const all = await client.export(signal, protoRequest(signal, 1));
        expect(all.ok ? 'ok' : all.code).toBe(3);
        const some = await client.export(signal, protoRequest(signal, 2));
        expect(some.ok).toBe(true);
      } finally {
        client.close();
      }
    },
  );
});
