import { describe, expect, it } from 'vitest';
import { otlpReceiverFactory } from '../src/index.js';
import { toOptions } from '../src/internal/config-schema.js';

describe('otlpReceiverFactory', () => {
  it('turns on a protocol given as an empty key and leaves out the other', () => {
    const config = otlpReceiverFactory.configSchema.parse({ protocols: { grpc: null } });
    expect(toOptions(config)).toEqual({ grpc: {}, http: false });
  });

  it('maps the Collector keys and units', () => {
    const config = otlpReceiverFactory.configSchema.parse({
      protocols: {
        grpc: {
          endpoint: '127.0.0.1:4317',
          keepalive: { server_parameters: { max_connection_age: '30s' } },
          max_connections: 100,
          preface_timeout: '2s',
        },
        http: {
          max_request_body_size: '1MiB',
          include_metadata: true,
          cors: { allowed_origins: ['*'] },
          idle_timeout: '90s',
          read_header_timeout: '5s',
          max_connections: 0,
        },
      },
    });
    expect(toOptions(config)).toEqual({
      grpc: {
        endpoint: '127.0.0.1:4317',
        keepalive: { serverParameters: { maxConnectionAgeMs: 30_000 } },
        maxConnections: 100,
        prefaceTimeoutMs: 2_000,
      },
      http: {
        maxRequestBodyBytes: 1024 * 1024,
        includeMetadata: true,
        cors: { allowedOrigins: ['*'] },
        idleTimeoutMs: 90_000,
        readHeaderTimeoutMs: 5_000,
        maxConnections: 0,
      },
    });
  });
});
