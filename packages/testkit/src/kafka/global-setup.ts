// vitest globalSetup of the `integration` project: gives every test worker a Kafka via
// KAFKA_BROKERS. Order: KAFKA_BROKERS already set (external cluster) > a cluster of the
// local harness already running (e.g. `npm run kafka -- start`) > a single node started
// here. A node started here is stopped at teardown unless another test run still uses it.
import type { TestProject } from 'vitest/node';
import { KAFKA_BROKERS_ENV } from './brokers.js';
import { DEFAULT_BASE_PORT, releaseLease, startCluster } from './harness.js';

export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  const external = process.env[KAFKA_BROKERS_ENV]?.trim();
  if (external) {
    return async () => {};
  }
  const started = await startCluster({
    nodes: 1,
    basePort: DEFAULT_BASE_PORT,
    owner: 'testkit',
    acceptRunning: true,
    lease: true,
    log: (message) => console.error(`[kafka] ${message}`),
  });
  if (!started.reused)
    console.error(`[kafka] single node ready at ${started.brokers} in ${started.startupMs} ms`);
  // Workers are forked after global setup and inherit this environment.
  process.env[KAFKA_BROKERS_ENV] = started.brokers;
  return async () => {
    await releaseLease(DEFAULT_BASE_PORT);
  };
}
