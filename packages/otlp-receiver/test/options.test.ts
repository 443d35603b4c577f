import { describe, expect, it } from 'vitest';
import { createOtlpReceiver, DEFAULTS } from '../src/index.js';
import { optionsSchema } from '../src/options.js';

describe('options', () => {
  it('runs both protocols with their defaults when neither is given', () => {
    const o = optionsSchema.parse({});
    expect(o.grpc).toEqual({
      endpoint: '0.0.0.0:4317',
      maxRecvMsgSizeMib: 4,
      includeMetadata: false,
      maxConnections: 4096,
      prefaceTimeoutMs: 10_000,
    });
    expect(o.http).toEqual({
      endpoint: '0.0.0.0:4318',
      maxRequestBodyBytes: 20 * 1024 * 1024,
      includeMetadata: false,
      tracesUrlPath: '/v1/traces',
      metricsUrlPath: '/v1/metrics',
      logsUrlPath: '/v1/logs',
      idleTimeoutMs: 60_000,
      readHeaderTimeoutMs: 60_000,
      maxConnections: 4096,
    });
    expect(o.shutdownTimeoutMs).toBe(DEFAULTS.shutdownTimeoutMs);
    expect(o.name).toBe('otlp');
  });

  it('runs only the protocols given once one is given, or all but the one turned off', () => {
    expect(optionsSchema.parse({ grpc: {} }).http).toBeUndefined();
    expect(optionsSchema.parse({ http: {} }).grpc).toBeUndefined();
    const noGrpc = optionsSchema.parse({ grpc: false });
    expect(noGrpc.grpc).toBeUndefined();
    expect(noGrpc.http?.endpoint).toBe('0.0.0.0:4318');
    const noHttp = optionsSchema.parse({ http: false, grpc: { includeMetadata: true } });
    expect(noHttp.http).toBeUndefined();
    expect(noHttp.grpc?.includeMetadata).toBe(true);
  });

  it('needs at least one protocol', () => {
    expect(() => createOtlpReceiver({ grpc: false, http: false })).toThrow(/at least one of grpc and http/);
    expect(() => createOtlpReceiver({ grpc: false, http: undefined })).not.toThrow();
  });

  it('names bad options', () => {
    expect(() => createOtlpReceiver({ http: { endpoint: 'localhost' } })).toThrow(
      /http\.endpoint: must be host:port/,
    );
    expect(() => createOtlpReceiver({ http: { tracesUrlPath: 'v1/traces' } })).toThrow(
      /http\.tracesUrlPath: must start with \//,
    );
    expect(() => createOtlpReceiver({ http: { tracesUrlPath: '/x', logsUrlPath: '/x' } })).toThrow(
      /url paths must differ/,
    );
    expect(() => createOtlpReceiver({ grpc: { maxRecvMsgSizeMib: 0 } })).toThrow(/grpc\.maxRecvMsgSizeMib/);
    expect(() => createOtlpReceiver({ grpc: { tls: { certFile: 'c' } } } as never)).toThrow(
      /grpc\.tls\.keyFile/,
    );
    expect(() => createOtlpReceiver({ http: { maxBodyBytes: 5 } } as never)).toThrow(/http/);
    expect(() => createOtlpReceiver({ http: { idleTimeoutMs: 0 } })).toThrow(/http\.idleTimeoutMs/);
    expect(() => createOtlpReceiver({ http: { readHeaderTimeoutMs: 300_001 } })).toThrow(
      /http\.readHeaderTimeoutMs/,
    );
    expect(() => createOtlpReceiver({ http: { maxConnections: -1 } })).toThrow(
      /http\.maxConnections: must be 0 \(unlimited\) or more/,
    );
    expect(() => createOtlpReceiver({ grpc: { maxConnections: 1.5 } })).toThrow(/grpc\.maxConnections/);
    expect(() => createOtlpReceiver({ grpc: { prefaceTimeoutMs: 0 } })).toThrow(/grpc\.prefaceTimeoutMs/);
    expect(() => createOtlpReceiver({ grpc: { endpoint: '[::1]:4317' } })).not.toThrow();
    expect(() => createOtlpReceiver({ grpc: { endpoint: ':4317' } })).not.toThrow();
  });
});
