import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as TracesGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TracesProto } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { createBasicAuthenticator, createBearerTokenAuthenticator } from '@otlp-kafka/auth-extensions';
import type { Batch } from '@otlp-kafka/core';
import { decodeRequest } from '@otlp-kafka/pdata';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from '../src/index.js';
import { fakeConsumer, startReceiver } from './helpers.js';

/** The real OTel JS SDK trace exporters sending credentials (headers, gRPC metadata, client certificates). */

const spanIds = (batches: readonly Batch[]): string[] =>
  batches.flatMap((b) =>
    decodeRequest('traces', b.bytes)
      .unwrap()
      .resourceSpans.flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => Buffer.from(s.spanId).toString('hex'))),
      ),
  );

/** Sends 20 spans through `exporter`; resolves with their ids and every export's result. */
async function sendSpans(exporter: SpanExporter): Promise<{ sent: string[]; results: ExportResult[] }> {
  const results: ExportResult[] = [];
  const recording: SpanExporter = {
    export: (spans: ReadableSpan[], done) =>
      exporter.export(spans, (r) => {
        results.push(r);
        done(r);
      }),
    shutdown: () => exporter.shutdown(),
  };
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(recording)] });
  const tracer = provider.getTracer('auth-test');
  const sent = Array.from({ length: 20 }, (_, i) => {
    const span = tracer.startSpan(`op-${i}`);
    span.end();
    return span.spanContext().spanId;
  });
  // forceFlush rejects with the export's error when it failed: the results tell.
  await provider.forceFlush().catch(() => {});
  await provider.shutdown().catch(() => {});
  return { sent, results };
}

const metadata = (entries: Record<string, string>): grpc.Metadata => {
  const m = new grpc.Metadata();
  for (const [k, v] of Object.entries(entries)) m.set(k, v);
  return m;
};

const basicHeader = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

describe.each([
  {
    name: 'bearertokenauth',
    authenticator: () => createBearerTokenAuthenticator({ token: 'team-a-token' }),
    good: 'Bearer team-a-token',
    bad: 'Bearer team-b-token',
  },
  {
    name: 'basicauth (bcrypt)',
    authenticator: () =>
      createBasicAuthenticator({ htpasswd: { inline: `agent:${bcrypt.hashSync('agent-pw', 5)}` } }),
    good: basicHeader('agent', 'agent-pw'),
    bad: basicHeader('agent', 'guess'),
  },
])('OTel JS SDK exporters with $name', ({ authenticator, good, bad }) => {
  const traces = fakeConsumer();
  let r: OtlpReceiver;
  beforeAll(async () => {
    r = await startReceiver({ traces }, { authenticate: authenticator() });
  });
  afterAll(() => r.shutdown());

  it('OTLP/HTTP protobuf: delivers every span with the right Authorization header, none without or with a wrong one', async () => {
    const url = `${r.httpUrl}/v1/traces`;
    for (const headers of [{}, { Authorization: bad }] as Record<string, string>[]) {
      const refused = await sendSpans(new TracesProto({ url, headers }));
      expect(refused.results.length).toBeGreaterThan(0);
      expect(refused.results.every((x) => x.code === ExportResultCode.FAILED)).toBe(true);
      expect(String(refused.results[0]!.error)).toMatch(/401|Unauthorized/i);
    }
    expect(traces.batches).toHaveLength(0);
    const { sent, results } = await sendSpans(new TracesProto({ url, headers: { Authorization: good } }));
    expect(results.every((x) => x.code === ExportResultCode.SUCCESS)).toBe(true);
    expect(new Set(spanIds(traces.batches.splice(0)))).toEqual(new Set(sent));
  });

  it('OTLP/gRPC: delivers every span with the right authorization metadata, none without or with a wrong one', async () => {
    const url = `http://${r.grpcAddress}`;
    for (const md of [new grpc.Metadata(), metadata({ authorization: bad })]) {
      const refused = await sendSpans(new TracesGrpc({ url, metadata: md }));
      expect(refused.results.every((x) => x.code === ExportResultCode.FAILED)).toBe(true);
      expect(String(refused.results[0]!.error)).toMatch(/UNAUTHENTICATED|16/);
    }
    expect(traces.batches).toHaveLength(0);
    const { sent, results } = await sendSpans(
      new TracesGrpc({ url, metadata: metadata({ authorization: good }) }),
    );
    expect(results.every((x) => x.code === ExportResultCode.SUCCESS)).toBe(true);
    expect(new Set(spanIds(traces.batches.splice(0)))).toEqual(new Set(sent));
  });
});

describe('OTel JS SDK exporters with mTLS (tls.client_ca_file) and a bearer token', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  const pem = (name: string) => readFileSync(file(name));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const traces = fakeConsumer();
  let r: OtlpReceiver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otlp-mtls-'));
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=test-ca',
    );
    writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    for (const who of ['server', 'client']) {
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${who}.key`,
        '-out',
        `${who}.csr`,
        '-subj',
        `/CN=${who}`,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        `${who}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${who}.pem`,
        '-days',
        '1',
        ...(who === 'server' ? ['-extfile', 'server.ext'] : []),
      );
    }
    const tls = { certFile: file('server.pem'), keyFile: file('server.key'), clientCaFile: file('ca.pem') };
    r = await startReceiver(
      { traces },
      {
        grpc: { endpoint: '127.0.0.1:0', tls },
        http: { endpoint: '127.0.0.1:0', tls },
        authenticate: createBearerTokenAuthenticator({ token: 'tok' }),
      },
    );
  });
  afterAll(async () => {
    await r.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('OTLP/gRPC: a client certificate and the token get in; without the certificate the connection is refused', async () => {
    const url = `https://${r.grpcAddress}`;
    const md = metadata({ authorization: 'Bearer tok' });
    const noCert = await sendSpans(
      new TracesGrpc({ url, metadata: md, credentials: grpc.credentials.createSsl(pem('ca.pem')) }),
    );
    expect(noCert.results.every((x) => x.code === ExportResultCode.FAILED)).toBe(true);
    const certNoToken = await sendSpans(
      new TracesGrpc({
        url,
        credentials: grpc.credentials.createSsl(pem('ca.pem'), pem('client.key'), pem('client.pem')),
      }),
    );
    expect(String(certNoToken.results[0]!.error)).toMatch(/UNAUTHENTICATED|16/);
    expect(traces.batches).toHaveLength(0);
    const { sent, results } = await sendSpans(
      new TracesGrpc({
        url,
        metadata: md,
        credentials: grpc.credentials.createSsl(pem('ca.pem'), pem('client.key'), pem('client.pem')),
      }),
    );
    expect(results.every((x) => x.code === ExportResultCode.SUCCESS)).toBe(true);
    expect(new Set(spanIds(traces.batches.splice(0)))).toEqual(new Set(sent));
  });

  it('OTLP/HTTP protobuf: the same over https', async () => {
    const url = `${r.httpUrl}/v1/traces`;
    const headers = { Authorization: 'Bearer tok' };
    const noCert = await sendSpans(
      new TracesProto({ url, headers, httpAgentOptions: { ca: pem('ca.pem') } }),
    );
    expect(noCert.results.every((x) => x.code === ExportResultCode.FAILED)).toBe(true);
    expect(traces.batches).toHaveLength(0);
    const { sent, results } = await sendSpans(
      new TracesProto({
        url,
        headers,
        httpAgentOptions: { ca: pem('ca.pem'), cert: pem('client.pem'), key: pem('client.key') },
      }),
    );
    expect(results.every((x) => x.code === ExportResultCode.SUCCESS)).toBe(true);
    expect(new Set(spanIds(traces.batches.splice(0)))).toEqual(new Set(sent));
  });
});
