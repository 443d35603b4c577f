import { noopLogger } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { resourceProcessorFactory } from '../src/index.js';

const context = { id: 'resource/tier', signals: ['logs'] as const, logger: noopLogger, env: {} };

describe('resourceProcessorFactory', () => {
  it('builds from the Collector keys (from_attribute)', () => {
    const config = resourceProcessorFactory.configSchema.parse({
      attributes: [{ key: 'host', action: 'upsert', from_attribute: 'host.name' }],
    });
    expect(typeof resourceProcessorFactory.create(config, context)).toBe('function');
  });

  it('refuses the camelCase spelling in YAML, naming the key', () => {
    const r = resourceProcessorFactory.configSchema.safeParse({
      attributes: [{ key: 'host', action: 'upsert', fromAttribute: 'host.name' }],
    });
    expect(r.error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['fromAttribute'],
      path: ['attributes', 0],
    });
  });

  it('reports a missing value as an option error of the processor', () => {
    const config = resourceProcessorFactory.configSchema.parse({
      attributes: [{ key: 'env', action: 'insert' }],
    });
    expect(() => resourceProcessorFactory.create(config, context)).toThrow(
      /attributes\.0\.value: insert of "env" needs value/,
    );
  });
});
