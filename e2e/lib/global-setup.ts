// Global setup of the e2e suite: one private three-node Kafka (replication 3,
// min.insync.replicas 2) for every scenario file, and the results table at the end.
import { mkdirSync, rmSync } from 'node:fs';
import { startKafkaCluster } from '@otlp-kafka/testkit';
import type { TestProject } from 'vitest/node';
import { PARTS_DIR, writeSummary } from './results.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    kafkaBasePort: number;
    kafkaNodes: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  rmSync(PARTS_DIR, { recursive: true, force: true });
  mkdirSync(PARTS_DIR, { recursive: true });
  const t0 = Date.now();
  const cluster = await startKafkaCluster({ nodes: 3, timeoutMs: 180_000 });
  console.error(`[e2e] three-node Kafka at ${cluster.brokers} ready in ${Date.now() - t0} ms`);
  project.provide('kafkaBrokers', cluster.brokers);
  project.provide('kafkaBasePort', cluster.basePort);
  project.provide('kafkaNodes', cluster.nodes);
  return async () => {
    try {
      const table = writeSummary();
      if (table) console.error(`\n[e2e] results (e2e/results/latest.json):\n${table}\n`);
    } finally {
      await cluster.stop();
    }
  };
}
