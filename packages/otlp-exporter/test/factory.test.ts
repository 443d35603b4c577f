import { describe, expect, it } from 'vitest';
import { otlpGrpcExporterFactory, otlpHttpExporterFactory } from '../src/index.js';
import { toOptions } from '../src/internal/config-schema.js';

describe('otlp exporter factories', () => {
  it("are otlp_grpc and otlp_http, with the Collector's older names as aliases", () => {
    expect([otlpGrpcExporterFactory.type, otlpGrpcExporterFactory.aliases]).toEqual(['otlp_grpc', ['otlp']]);
    expect([otlpHttpExporterFactory.type, otlpHttpExporterFactory.aliases]).toEqual([
      'otlp_http',
      ['otlphttp'],
    ]);
  });

  it('maps the Collector keys and units', () => {
    const config = otlpHttpExporterFactory.configSchema.parse({
      endpoint: 'http://127.0.0.1:4318',
      compression: '',
      timeout: '2s',
      tls: { ca_pem: 'PEM', server_name_override: 'backend' },
      retry_on_failure: { max_elapsed_time: '1m' },
      sending_queue: { num_consumers: 4 },
      encoding: 'json',
    });
    expect(toOptions(config, 'http')).toEqual({
      protocol: 'http',
      endpoint: 'http://127.0.0.1:4318',
      encoding: 'json',
      compression: 'none',
      timeoutMs: 2000,
      tls: { caPem: 'PEM', serverName: 'backend' },
      retryOnFailure: { maxElapsedMs: 60_000 },
      sendingQueue: { numConsumers: 4 },
    });
  });

  it('refuses OTLP/HTTP-only keys on otlp_grpc', () => {
    const r = otlpGrpcExporterFactory.configSchema.safeParse({ traces_endpoint: 'http://x/v1/traces' });
    expect(r.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['traces_endpoint'] });
  });
});
