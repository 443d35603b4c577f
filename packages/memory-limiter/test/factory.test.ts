import { noopLogger } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { memoryLimiterFactory, type MemoryLimiter } from '../src/index.js';

const context = { id: 'memory_limiter/edge', signals: ['traces'] as const, logger: noopLogger, env: {} };

describe('memoryLimiterFactory', () => {
  it('maps the Collector keys to the limiter options', () => {
    const config = memoryLimiterFactory.configSchema.parse({
      check_interval: '2s',
      limit_mib: 512,
      spike_limit_mib: 128,
    });
    const limiter = memoryLimiterFactory.create(config, context) as MemoryLimiter;
    expect(limiter.state.limits).toMatchObject({
      hardLimitBytes: 512 * 1024 * 1024,
      softLimitBytes: 384 * 1024 * 1024,
    });
  });

  it('refuses an unknown key by name', () => {
    const r = memoryLimiterFactory.configSchema.safeParse({ limit_mib: 512, ballast_size_mib: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['ballast_size_mib'] });
  });
});
