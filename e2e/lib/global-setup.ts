// Global setup of the e2e suite: one private three-node Kafka (replication 3,
// min.insync.replicas 2) for every scenario file, and the results table at the end.
import { mkdirSync, rmSync } from 'node:fs';
import { startKafkaCluster, type KafkaCluster } from '@otlp-kafka/testkit/kafka';
import type { TestProject } from 'vitest/node';
import { PARTS_DIR, writeSummary } from './results.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    kafkaBasePort: number;
    kafkaNodes: number;
  }
}

// Base ports of our own, away from the testkit's slots (31092..31182) and the development
// cluster (39092): scenario 6 takes all three brokers down for a while, and a test run of
// another checkout picking a free slot must not start its cluster on our ports meanwhile.
// Each candidate uses base..base+2 (brokers) and base+100..base+102 (controllers).
const BASE_PORTS = [30092, 30292, 30492, 30692, 30892];

async function startCluster(): Promise<KafkaCluster> {
  let last: unknown;
  for (const basePort of BASE_PORTS) {
    try {
      return await startKafkaCluster({ nodes: 3, basePort, timeoutMs: 180_000 });
    } catch (e) {
      last = e;
      if (!['BUSY', 'PORT_IN_USE'].includes((e as { code?: string }).code ?? '')) throw e;
    }
  }
  throw new Error(`no free base port for the e2e Kafka among ${BASE_PORTS.join(', ')}`, { cause: last });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  rmSync(PARTS_DIR, { recursive: true, force: true });
  mkdirSync(PARTS_DIR, { recursive: true });
  const t0 = Date.now();
  const cluster = await startCluster();
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
