import { defineConfig } from 'vitest/config';

// Tests run against package sources: the custom export condition maps
// @otlp-kafka/* to src/index.ts, so no build is needed before a test run.
const resolve = { conditions: ['@otlp-kafka/source'] };
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
