import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The Kafka client is a native addon built for the system Node (20). On Node 24,
// point it at the copy tools/node24-kafka.sh builds (tools/test.sh exports its
// directory). Imports from our sources go through this alias; the copy stays
// external (it lives under a node_modules directory) and requires its own deps.
const kafkaJsNode24 =
  process.env.OTLP_KAFKA_KAFKA_JS_DIR ??
  fileURLToPath(new URL('.cache/node24-kafka/node_modules/@confluentinc/kafka-javascript', import.meta.url));
const alias =
  process.versions.node.startsWith('24.') && existsSync(`${kafkaJsNode24}/.node24-build`)
    ? [{ find: /^@confluentinc\/kafka-javascript(?=\/|$)/, replacement: kafkaJsNode24 }]
    : [];

// Tests run against package sources: the custom export condition maps
// @otlp-kafka/* to src/index.ts, so no build is needed before a test run.
const resolve = { conditions: ['@otlp-kafka/source'], alias };
// Vitest 4 runs Node tests through the SSR pipeline, which reads ssr.resolve.
const ssr = { resolve: { conditions: ['@otlp-kafka/source'], externalConditions: ['@otlp-kafka/source'] } };

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.integration.test.ts'],
          globalSetup: ['packages/testkit/src/kafka/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
