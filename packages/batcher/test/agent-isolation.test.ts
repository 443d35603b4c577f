// The agent case: OpenTelemetry clients POST to the OTLP receiver, the batcher
// merges their requests, the next consumer refuses for good any request with a
// poison item. A client must never get 200 for data that is then dropped, and
// one client's bad data must not cost the others theirs.
import { afterEach, describe, expect, it } from 'vitest';
import { ok, permanent, type Batch, type Consumer, type Outcome } from '@otlp-kafka/core';
import { createOtlpReceiver } from '@otlp-kafka/otlp-receiver';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';
import { createBatcher } from '@otlp-kafka/batcher';
import { callerBatch, ids } from './helpers.js';

const running: { shutdown(): Promise<void> }[] = [];

afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.shutdown();
});

/** Refuses for good any request holding an item whose id starts `poison`; counts the ids it accepted. */
function refusingExporter(): Consumer & { delivered: Map<string, number> } {
  const delivered = new Map<string, number>();
  return {
    delivered,
    consume(batch: Batch): Promise<Outcome> {
      const got = ids(batch);
      if (got.some((id) => id.startsWith('poison')))
        return Promise.resolve(permanent('INVALID_ARGUMENT: AnyValue nested too deep'));
      for (const id of got) delivered.set(id, (delivered.get(id) ?? 0) + 1);
      return Promise.resolve(ok());
    },
  };
}

describe('agent: a client request refused for good behind the batcher', () => {
  it('12 clients in one merged batch, one with poison: it gets 400, the 11 others 200 and their data delivered once', async () => {
    const exporter = refusingExporter();
    const meter = createTestMeter();
    // sendBatchSize = all 12 requests' items: the 12th arrival sends them as one batch, no timing involved.
    const batcher = createBatcher({
      sendBatchSize: 36,
      lingerMs: 60_000,
      timeoutMs: 60_000,
      meterProvider: meter.meterProvider,
    })(exporter);
    await batcher.start();
    running.push(batcher);
    const receiver = createOtlpReceiver({ grpc: false, http: { endpoint: '127.0.0.1:0' } });
    receiver.connect('logs', batcher);
    await receiver.start();
    running.push(receiver);

    const clients = Array.from({ length: 12 }, (_, i) => callerBatch(i === 4 ? 'poison-4-' : `c${i}-`, 3));
    const statuses = await Promise.all(
      clients.map(async (c) => {
        const res = await fetch(`${receiver.httpUrl}/v1/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: c.batch.bytes,
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );

    expect(statuses).toEqual(clients.map((_, i) => (i === 4 ? 400 : 200)));
    const valid = clients.filter((_, i) => i !== 4).flatMap((c) => c.ids);
    expect([...exporter.delivered.keys()].sort()).toEqual([...valid].sort());
    expect([...exporter.delivered.values()].every((n) => n === 1)).toBe(true);
    const resends = (await meter.read()).get('otelcol_processor_batch_isolation_resends') ?? [];
    // 12 parts alone; the poison part (3 items, all poison) bisects into 2 + 1, and the 2 into 1 + 1.
    expect(resends.map((p) => p.value)).toEqual([12 + 2 + 2]);
  });
});
