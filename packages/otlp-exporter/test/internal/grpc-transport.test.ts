import { rmSync } from 'node:fs';
import { createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { status } from '@grpc/grpc-js';
import type { Signal } from '@otlp-kafka/pdata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GRPC_METHODS, GrpcTransport, grpcTarget } from '../../src/internal/grpc-transport.js';
import { loadTls } from '../../src/internal/tls.js';
import type { AttemptResult } from '../../src/internal/transport.js';
import { resolveOptions, type OtlpExporterOptions } from '../../src/options.js';
import { partialSuccessBytes, requestBytes, retryInfoStatus, selfSignedCert } from '../helpers.js';
import { freePort, startGrpcServer, type GrpcAnswer } from '../servers.js';

type Server = Awaited<ReturnType<typeof startGrpcServer>>;
const servers: Server[] = [];
const transports: GrpcTransport[] = [];

async function server(script: GrpcAnswer[] = [], tls?: { cert: Buffer; key: Buffer }): Promise<Server> {
  const s = await startGrpcServer(script, tls);
  servers.push(s);
  return s;
}

async function transport(options: OtlpExporterOptions): Promise<GrpcTransport> {
  const resolved = resolveOptions({ protocol: 'grpc', ...options });
  const t = new GrpcTransport(resolved, await loadTls(resolved.tls));
  transports.push(t);
  return t;
}

async function send(
  t: GrpcTransport,
  signal: Signal,
  bytes: Uint8Array,
  abort = new AbortController().signal,
) {
  return t.send(await t.prepare(signal, bytes), abort);
}

const OK: AttemptResult = { kind: 'ok', rejectedItems: 0, message: '' };

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('grpcTarget', () => {
  it('reads the scheme as plaintext or TLS, else tls.insecure decides', () => {
    expect(grpcTarget('http://backend:4317', false)).toEqual({ target: 'backend:4317', plaintext: true });
    expect(grpcTarget('https://backend:4317/', true)).toEqual({ target: 'backend:4317', plaintext: false });
    expect(grpcTarget('backend:4317', true)).toEqual({ target: 'backend:4317', plaintext: true });
    expect(grpcTarget('backend:4317', false)).toEqual({ target: 'backend:4317', plaintext: false });
  });
});

describe('GrpcTransport', () => {
  it.each(['traces', 'metrics', 'logs'] as const)(
    'calls the %s Export method with the raw request bytes',
    async (signal) => {
      const s = await server();
      const t = await transport({ endpoint: `http://${s.address}`, headers: { 'X-Api-Key': 'secret' } });
      const bytes = requestBytes(signal, 3);
      expect(await send(t, signal, bytes)).toEqual(OK);
      expect(s.calls).toHaveLength(1);
      expect(s.calls[0]!.path).toBe(GRPC_METHODS[signal]);
      expect(s.calls[0]!.body.equals(Buffer.from(bytes))).toBe(true);
      expect(s.calls[0]!.metadata.get('x-api-key')).toEqual(['secret']);
    },
  );

  it('sends gzip-compressed messages by default and plain ones with compression none', async () => {
    // A bare HTTP/2 server, to see the gRPC framing on the wire (grpc-js servers hide the encoding).
    const seen: { encoding: string | undefined; flag: number; payload: Buffer }[] = [];
    const h2 = createHttp2Server();
    h2.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const frame = Buffer.concat(chunks);
        seen.push({
          encoding: headers['grpc-encoding'] as string | undefined,
          flag: frame[0]!,
          payload: frame.subarray(5),
        });
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
      const zipped = await transport({ endpoint });
      const plain = await transport({ endpoint, compression: 'none' });
      const bytes = requestBytes('traces', 20);
      expect(await send(zipped, 'traces', bytes)).toEqual(OK);
      expect(await send(plain, 'traces', bytes)).toEqual(OK);
      expect(seen[0]).toMatchObject({ encoding: 'gzip', flag: 1 });
      expect(gunzipSync(seen[0]!.payload).equals(Buffer.from(bytes))).toBe(true);
      expect(seen[1]).toMatchObject({ flag: 0 });
      expect(seen[1]!.encoding).not.toBe('gzip');
      expect(seen[1]!.payload.equals(Buffer.from(bytes))).toBe(true);
    } finally {
      await Promise.all(transports.splice(0).map((t) => t.close()));
      await new Promise<void>((r) => h2.close(() => r()));
    }
  });

  it('sends -bin headers as binary metadata from base64', async () => {
    const s = await server();
    const t = await transport({ endpoint: `http://${s.address}`, headers: { 'x-token-bin': 'AAEC/w==' } });
    expect(await send(t, 'traces', requestBytes('traces', 1))).toEqual(OK);
    expect(s.calls[0]!.metadata.get('x-token-bin')).toEqual([Buffer.from([0, 1, 2, 255])]);
  });

  it('reads partial_success from the response', async () => {
    const s = await server([{ response: partialSuccessBytes(4, 'four rejected') }]);
    const t = await transport({ endpoint: `http://${s.address}` });
    expect(await send(t, 'logs', requestBytes('logs', 9))).toEqual({
      kind: 'ok',
      rejectedItems: 4,
      message: 'four rejected',
    });
  });

  it.each([
    ['CANCELLED', status.CANCELLED],
    ['DEADLINE_EXCEEDED', status.DEADLINE_EXCEEDED],
    ['ABORTED', status.ABORTED],
    ['OUT_OF_RANGE', status.OUT_OF_RANGE],
    ['UNAVAILABLE', status.UNAVAILABLE],
    ['DATA_LOSS', status.DATA_LOSS],
  ])('answers retryable to %s', async (name, code) => {
    const s = await server([{ code, details: 'try later' }]);
    const t = await transport({ endpoint: `http://${s.address}` });
    const r = await send(t, 'traces', requestBytes('traces', 1));
    expect(r.kind).toBe('retryable');
    expect(r.kind === 'retryable' && r.error.message).toContain(`${name}: try later`);
    expect(r.kind === 'retryable' && r.retryAfterMs).toBeUndefined();
  });

  it.each([
    ['INVALID_ARGUMENT', status.INVALID_ARGUMENT],
    ['UNKNOWN', status.UNKNOWN],
    ['PERMISSION_DENIED', status.PERMISSION_DENIED],
    ['UNAUTHENTICATED', status.UNAUTHENTICATED],
    ['UNIMPLEMENTED', status.UNIMPLEMENTED],
    ['INTERNAL', status.INTERNAL],
    ['RESOURCE_EXHAUSTED without RetryInfo', status.RESOURCE_EXHAUSTED],
  ])('answers permanent to %s', async (_name, code) => {
    const s = await server([{ code, details: 'no' }]);
    const t = await transport({ endpoint: `http://${s.address}` });
    const r = await send(t, 'metrics', requestBytes('metrics', 1));
    expect(r.kind).toBe('permanent');
    expect(r.kind === 'permanent' && r.error.code).toBe('ERR_OTLP_GRPC_STATUS');
  });

  it('answers retryable with the delay to RESOURCE_EXHAUSTED with RetryInfo', async () => {
    const details = retryInfoStatus(status.RESOURCE_EXHAUSTED, 'slow down', 2_500);
    const s = await server([
      { code: status.RESOURCE_EXHAUSTED, details: 'slow down', statusDetails: details },
    ]);
    const t = await transport({ endpoint: `http://${s.address}` });
    expect(await send(t, 'traces', requestBytes('traces', 1))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 2_500,
    });
  });

  it('passes RetryInfo on with UNAVAILABLE too', async () => {
    const details = retryInfoStatus(status.UNAVAILABLE, 'restarting', 12_000);
    const s = await server([{ code: status.UNAVAILABLE, statusDetails: details }]);
    const t = await transport({ endpoint: `http://${s.address}` });
    expect(await send(t, 'traces', requestBytes('traces', 1))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 12_000,
    });
  });

  it('answers retryable when nothing listens', async () => {
    const port = await freePort();
    const t = await transport({ endpoint: `http://127.0.0.1:${port}` });
    const r = await send(t, 'traces', requestBytes('traces', 1));
    expect(r.kind).toBe('retryable');
    expect(r.kind === 'retryable' && r.error.message).toContain('UNAVAILABLE');
  });

  it('answers retryable ERR_TIMEOUT when the server does not answer within timeoutMs', async () => {
    const s = await server([{ hang: true }]);
    const t = await transport({ endpoint: `http://${s.address}`, timeoutMs: 200 });
    const r = await send(t, 'traces', requestBytes('traces', 1));
    expect(r.kind === 'retryable' && r.error.code).toBe('ERR_TIMEOUT');
  });

  it('cancels the call when aborted', async () => {
    const s = await server([{ hang: true }]);
    const t = await transport({ endpoint: `http://${s.address}` });
    const abort = new AbortController();
    const pending = send(t, 'traces', requestBytes('traces', 1), abort.signal);
    while (s.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    const r = await pending;
    expect(r.kind === 'retryable' && r.error.code).toBe('ERR_SHUTDOWN');
  });

  describe('TLS', () => {
    let cert: ReturnType<typeof selfSignedCert>;
    beforeAll(() => {
      cert = selfSignedCert();
    });
    afterAll(() => rmSync(cert.dir, { recursive: true, force: true }));

    it('connects with caFile and refuses an unknown certificate as retryable', async () => {
      const s = await server([], cert);
      const trusted = await transport({ endpoint: s.address, tls: { caFile: cert.certFile } });
      expect(await send(trusted, 'traces', requestBytes('traces', 1))).toEqual(OK);
      const strict = await transport({ endpoint: s.address });
      expect((await send(strict, 'traces', requestBytes('traces', 1))).kind).toBe('retryable');
      expect(s.calls).toHaveLength(1);
    });

    it('accepts any certificate with insecureSkipVerify', async () => {
      const s = await server([], cert);
      const t = await transport({ endpoint: `https://${s.address}`, tls: { insecureSkipVerify: true } });
      expect(await send(t, 'logs', requestBytes('logs', 1))).toEqual(OK);
    });

    it('checks the certificate against serverName', async () => {
      const s = await server([], cert);
      const t = await transport({
        endpoint: s.address,
        tls: { caFile: cert.certFile, serverName: 'otlp.test' },
      });
      expect(await send(t, 'logs', requestBytes('logs', 1))).toEqual(OK);
    });
  });
});
