// The fault-test harness: three nodes (RF 3, min ISR 2) survive a SIGKILLed node,
// the node comes back on its data, and stop() leaves no process behind.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import {
  consumeRaw,
  freshTopic,
  produceRaw,
  retryUnknownTopic,
  startKafkaCluster,
} from '@otlp-kafka/testkit/kafka';
import type { KafkaCluster } from '@otlp-kafka/testkit/kafka';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function topicReplicas(
  brokers: string,
  topic: string,
): Promise<{ replicas: number[]; isr: number[] }[]> {
  const admin = new KafkaJS.Kafka({
    kafkaJS: { brokers: brokers.split(','), logLevel: KafkaJS.logLevel.NOTHING },
  }).admin();
  await admin.connect();
  try {
    const [meta] = await retryUnknownTopic(() => admin.fetchTopicMetadata({ topics: [topic] }));
    return meta!.partitions.map((p) => ({ replicas: [...p.replicas].sort(), isr: [...p.isr].sort() }));
  } finally {
    await admin.disconnect();
  }
}

const batch = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` }));

describe('three-node cluster', () => {
  let cluster: KafkaCluster;

  beforeAll(async () => {
    cluster = await startKafkaCluster({ nodes: 3 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('acks=all writes continue with one node killed; the node rejoins; stop leaves no process', async () => {
    const { brokers } = cluster;
    expect(brokers.split(',')).toEqual([0, 1, 2].map((id) => cluster.brokerAddress(id)));
    const topic = await freshTopic('fault', { partitions: 3, brokers });
    for (const p of await topicReplicas(brokers, topic)) expect(p.replicas).toEqual([0, 1, 2]);

    await produceRaw(topic, batch(0, 1000), { brokers });

    const killedPid = cluster.pid(1)!;
    await cluster.kill(1);
    expect(isAlive(killedPid)).toBe(false);
    expect(cluster.pid(1)).toBeUndefined();
    // min.insync.replicas=2 of RF 3: the two survivors still take acks=all writes.
    const bootstrapAlive = [0, 2].map((id) => cluster.brokerAddress(id)).join(',');
    await produceRaw(topic, batch(1000, 1000), { brokers: bootstrapAlive });

    await cluster.restart(1);
    expect(cluster.pid(1)).not.toBe(killedPid);
    await produceRaw(topic, batch(2000, 1000), { brokers });

    const all = await consumeRaw(topic, { brokers, count: 3000, timeoutMs: 90_000 });
    expect(new Set(all.map((r) => r.value!.toString())).size).toBe(3000);

    const pids = [0, 1, 2].map((id) => cluster.pid(id)!);
    expect(pids.every(isAlive)).toBe(true);
    await cluster.stop();
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
