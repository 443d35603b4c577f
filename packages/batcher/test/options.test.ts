import { describe, expect, it } from 'vitest';
import { PipelineError } from '@otlp-kafka/core';
import { BATCHER_DEFAULTS, createBatcher, type BatcherOptions } from '@otlp-kafka/batcher';

function error(options: unknown): PipelineError {
  try {
    createBatcher(options as BatcherOptions);
  } catch (e) {
    return e as PipelineError;
  }
  throw new Error('no error');
}

describe('batcher options', () => {
  it('has the Collector defaults', () => {
    expect(BATCHER_DEFAULTS).toMatchObject({
      sendBatchSize: 8192,
      sendBatchMaxSize: 0,
      timeoutMs: 200,
      metadataCardinalityLimit: 1000,
    });
    expect(typeof createBatcher()).toBe('function');
  });

  it('refuses sendBatchMaxSize below sendBatchSize', () => {
    const e = error({ sendBatchSize: 100, sendBatchMaxSize: 50 });
    expect(e).toBeInstanceOf(PipelineError);
    expect(e.code).toBe('ERR_INVALID_OPTIONS');
    expect(e.message).toMatch(
      /^batcher: invalid options: sendBatchMaxSize: must be 0 or at least sendBatchSize \(100\)/,
    );
    expect(() => createBatcher({ sendBatchSize: 100, sendBatchMaxSize: 100 })).not.toThrow();
    expect(() => createBatcher({ sendBatchSize: 100, sendBatchMaxSize: 0 })).not.toThrow();
  });

  it('names every bad option', () => {
    const e = error({ timeoutMs: -1, maxPendingBytes: 0, sendBatchSize: 1.5 });
    expect(e.message).toContain('timeoutMs');
    expect(e.message).toContain('maxPendingBytes');
    expect(e.message).toContain('sendBatchSize');
    expect(error({ metadataKeys: ['X-Tenant', 'x-tenant'] }).message).toContain(
      'metadataKeys: duplicate keys',
    );
  });

  it('refuses unknown options (snake_case from a Collector config included)', () => {
    expect(error({ send_batch_size: 10 }).message).toMatch(/send_batch_size/);
  });
});
