// The seed's agent-collector-config.yaml written in code: OTLP in, Kafka out, acks=all.
// Run: npm run kafka -- start && node --conditions=@otlp-kafka/source --import tsx examples/agent.ts
import { createBatcher } from '@otlp-kafka/batcher';
import { createPipeline, type Signal } from '@otlp-kafka/core';
import { ensureTopics, SEED_TOPICS } from '@otlp-kafka/kafka-client';
import { createKafkaExporter } from '@otlp-kafka/kafka-producer-exporter';
import { createMemoryLimiter } from '@otlp-kafka/memory-limiter';
import { createOtlpReceiver } from '@otlp-kafka/otlp-receiver';
import { createResourceProcessor } from '@otlp-kafka/resource-processor';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:39092').split(',');
const topics = SEED_TOPICS;

// The seed creates its topics with kafka-topics.sh; ensureTopics does the same, idempotently.
for (const r of await ensureTopics({
  brokers,
  topics: Object.entries(topics).map(([signal, topic]) => ({
    topic,
    partitions: signal === 'logs' ? 24 : 12,
    replicationFactor: Math.min(3, brokers.length),
    config: {
      'retention.ms': '86400000',
      'retention.bytes': signal === 'logs' ? '21474836480' : '10737418240',
      'max.message.bytes': '10000000',
    },
  })),
})) {
  if (r.isErr()) throw r.error;
}

const receiver = createOtlpReceiver({
  grpc: { endpoint: '127.0.0.1:4317' },
  http: { endpoint: '127.0.0.1:4318' },
});
// One memory limiter shared by the three pipelines, as in the Collector.
const memoryLimiter = createMemoryLimiter({ checkIntervalMs: 1000, limitMib: 512, spikeLimitMib: 128 });
const resource = createResourceProcessor({
  attributes: [
    { key: 'collector.tier', value: 'agent', action: 'upsert' },
    { key: 'collector.node', value: process.env.NODE_NAME ?? 'local', action: 'upsert' },
  ],
});
const batch = createBatcher({ sendBatchSize: 1024, sendBatchMaxSize: 2048, timeoutMs: 5000 });

const pipeline = createPipeline({
  pipelines: (Object.keys(topics) as Signal[]).map((signal) => ({
    signal,
    receivers: [receiver],
    processors: [memoryLimiter, resource, batch],
    exporters: [
      createKafkaExporter({
        brokers,
        topic: topics[signal],
        encoding: 'otlp_proto',
        producer: {
          compression: 'snappy',
          maxMessageBytes: 10_000_000,
          flushMaxMessages: 500,
          requiredAcks: -1,
        },
      }),
    ],
  })),
});

await pipeline.start();
console.log(
  'agent ready: OTLP on 127.0.0.1:4317 (gRPC) and 127.0.0.1:4318 (HTTP) -> Kafka',
  brokers.join(','),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Shutdown stops intake, flushes the batcher and waits for Kafka's acknowledgements.
    void pipeline.shutdown().then(() => process.exit(0));
  });
}
