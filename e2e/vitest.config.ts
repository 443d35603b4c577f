import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

// The end-to-end fault suite (npm run e2e): real agent and gateway processes,
// one three-node Kafka for the whole run (started by the global setup), faults
// injected one scenario file at a time. Packages resolve to their sources like
// the unit tests; the collector processes run the built CLI (tsc -b first).

/** Scenario files run in their numbered order (01-..., 02-...), one at a time. */
class ByName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { conditions: ['@otlp-kafka/source'] },
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/lib/global-setup.ts'],
    fileParallelism: false,
    sequence: { sequencer: ByName },
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    teardownTimeout: 2 * 60_000,
  },
});
