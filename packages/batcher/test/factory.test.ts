import { describe, expect, it } from 'vitest';
import { batcherFactory } from '../src/index.js';
import { toOptions } from '../src/internal/config-schema.js';

describe('batcherFactory', () => {
  it('maps the Collector keys and the group-commit ones (max_concurrent_sends, linger)', () => {
    const config = batcherFactory.configSchema.parse({
      send_batch_size: 1024,
      send_batch_max_size: 2048,
      timeout: '5s',
      max_concurrent_sends: 2,
      linger: '3ms',
      metadata_keys: ['tenant'],
    });
    expect(toOptions(config)).toEqual({
      sendBatchSize: 1024,
      sendBatchMaxSize: 2048,
      timeoutMs: 5000,
      maxConcurrentSends: 2,
      lingerMs: 3,
      metadataKeys: ['tenant'],
    });
  });

  it('refuses an unknown key by name', () => {
    const r = batcherFactory.configSchema.safeParse({ send_batch_max_bytes: 1 });
    expect(r.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['send_batch_max_bytes'] });
  });
});
