import { defineConfig } from 'vitest/config';

// Tests run against package sources: the custom export condition maps
// @otlp-kafka/* to src/index.ts, so no build is needed before a test run.
const resolve = { conditions: ['@otlp-kafka/source'] };

export default defineConfig({
  resolve,
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        resolve,
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
