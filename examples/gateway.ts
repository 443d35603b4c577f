// The seed's gateway-collector-config.yaml written in code: Kafka in (one consumer group
// per signal), OTLP/gRPC out with retry and a bounded sending queue. Offsets are committed
// only for records the backend accepted.
// Run: node --conditions=@otlp-kafka/source --import tsx examples/gateway.ts
import { createBatcher } from '@otlp-kafka/batcher';
import { createPipeline, type Signal } from '@otlp-kafka/core';
import { SEED_TOPICS } from '@otlp-kafka/kafka-client';
import { createKafkaReceiver } from '@otlp-kafka/kafka-consumer-receiver';
import { createMemoryLimiter } from '@otlp-kafka/memory-limiter';
import { createOtlpExporter } from '@otlp-kafka/otlp-exporter';
import { createResourceProcessor } from '@otlp-kafka/resource-processor';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:39092').split(',');
const backends: Record<Signal, string> = {
  traces: process.env.TEMPO_ENDPOINT ?? '127.0.0.1:14317',
  metrics: process.env.MIMIR_ENDPOINT ?? '127.0.0.1:14317',
  logs: process.env.LOKI_ENDPOINT ?? '127.0.0.1:14317',
};

const memoryLimiter = createMemoryLimiter({ checkIntervalMs: 1000, limitMib: 2048, spikeLimitMib: 512 });
const resource = createResourceProcessor({
  attributes: [{ key: 'collector.tier', value: 'gateway', action: 'upsert' }],
});
const batch = createBatcher({ sendBatchSize: 2048, timeoutMs: 10_000 });

const pipeline = createPipeline({
  pipelines: (Object.keys(backends) as Signal[]).map((signal) => ({
    signal,
    receivers: [
      createKafkaReceiver({
        brokers,
        topic: SEED_TOPICS[signal],
        signal,
        groupId: `otel-gateway-${signal}`,
        encoding: 'otlp_proto',
        initialOffset: 'earliest',
        autoCommit: { enable: true, intervalMs: 5000 },
      }),
    ],
    processors: [memoryLimiter, resource, batch],
    exporters: [
      createOtlpExporter({
        name: `otlp/${signal}`,
        protocol: 'grpc',
        endpoint: backends[signal],
        tls: { insecure: true },
        retryOnFailure: {
          enabled: true,
          initialIntervalMs: 5000,
          maxIntervalMs: 60_000,
          maxElapsedMs: 300_000,
        },
        sendingQueue: { enabled: true, numConsumers: 10, queueSize: 5000 },
      }),
    ],
  })),
});

await pipeline.start();
console.log('gateway ready: Kafka', brokers.join(','), '-> OTLP/gRPC backends');
for (const s of ['SIGINT', 'SIGTERM'] as const) {
  process.once(s, () => {
    // Stops fetching, drains in-flight batches, commits what was delivered, leaves the group.
    void pipeline.shutdown().then(() => process.exit(0));
  });
}
