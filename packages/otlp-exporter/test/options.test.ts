import { PipelineError } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, resolveOptions } from '../src/options.js';

describe('resolveOptions', () => {
  it('fills in the Collector defaults', () => {
    const o = resolveOptions(undefined);
    expect(o).toMatchObject({
      name: 'otlphttp',
      protocol: 'http',
      endpoint: 'http://localhost:4318',
      encoding: 'proto',
      compression: 'gzip',
      timeoutMs: 5_000,
      tls: { insecure: false, insecureSkipVerify: false },
      retryOnFailure: DEFAULTS.retryOnFailure,
      sendingQueue: DEFAULTS.sendingQueue,
      shutdownTimeoutMs: 30_000,
    });
    expect(o.retryOnFailure).toEqual({
      enabled: true,
      initialIntervalMs: 5_000,
      maxIntervalMs: 30_000,
      maxElapsedMs: 300_000,
      multiplier: 1.5,
      randomizationFactor: 0.5,
    });
    expect(o.sendingQueue).toMatchObject({ enabled: true, numConsumers: 10, queueSize: 1_000 });
  });

  it('defaults name and endpoint per protocol', () => {
    expect(resolveOptions({ protocol: 'grpc' })).toMatchObject({ name: 'otlp', endpoint: 'localhost:4317' });
    expect(resolveOptions({ name: 'otlp/backend', protocol: 'grpc' }).name).toBe('otlp/backend');
  });

  it('fills nested defaults when only some nested fields are given', () => {
    const o = resolveOptions({ retryOnFailure: { maxElapsedMs: 0 }, sendingQueue: { queueSize: 5 } });
    expect(o.retryOnFailure).toMatchObject({ enabled: true, maxElapsedMs: 0, initialIntervalMs: 5_000 });
    expect(o.sendingQueue).toMatchObject({ enabled: true, queueSize: 5, numConsumers: 10 });
  });

  it.each([
    [{ protocol: 'udp' }, 'protocol'],
    [{ endpoint: 'localhost:4318' }, 'endpoint'],
    [{ tracesEndpoint: 'ftp://x/v1/traces' }, 'tracesEndpoint'],
    [{ compression: 'zstd' }, 'compression'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ retryOnFailure: { multiplier: 0.5 } }, 'retryOnFailure.multiplier'],
    [{ retryOnFailure: { initialIntervalMs: 10_000, maxIntervalMs: 1_000 } }, 'retryOnFailure'],
    [{ sendingQueue: { numConsumers: 0 } }, 'sendingQueue.numConsumers'],
    [{ tls: { certFile: '/x.pem' } }, 'tls'],
    [{ retry_on_failure: {} }, 'retry_on_failure'],
  ])('rejects %j naming %s', (input, path) => {
    let error: unknown;
    try {
      resolveOptions(input as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('ERR_INVALID_OPTIONS');
    expect((error as PipelineError).message).toContain(path);
  });

  it('accepts a gRPC endpoint without a scheme', () => {
    expect(resolveOptions({ protocol: 'grpc', endpoint: 'backend:4317' }).endpoint).toBe('backend:4317');
  });
});
