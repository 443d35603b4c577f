import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Signal } from '@otlp-kafka/pdata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport, signalUrls } from '../../src/internal/http-transport.js';
import { loadTls } from '../../src/internal/tls.js';
import { isPrepared, type AttemptResult } from '../../src/internal/transport.js';
import { resolveOptions, type OtlpExporterOptions } from '../../src/options.js';
import { partialSuccessBytes, requestBytes, selfSignedCert, statusBytes } from '../helpers.js';
import { freePort, startHttpServer, type HttpAnswer } from '../servers.js';

type Server = Awaited<ReturnType<typeof startHttpServer>>;
const servers: Server[] = [];
const transports: HttpTransport[] = [];

async function server(script: HttpAnswer[] = [], tls?: { cert: Buffer; key: Buffer }): Promise<Server> {
  const s = await startHttpServer(script, tls);
  servers.push(s);
  return s;
}

async function transport(options: OtlpExporterOptions): Promise<HttpTransport> {
  const resolved = resolveOptions(options);
  const t = new HttpTransport(resolved, await loadTls(resolved.tls));
  transports.push(t);
  return t;
}

async function send(
  t: HttpTransport,
  signal: Signal,
  bytes: Uint8Array,
  abort = new AbortController().signal,
) {
  const prepared = await t.prepare(signal, bytes);
  if (!isPrepared(prepared)) throw new Error(`not prepared: ${JSON.stringify(prepared)}`);
  return t.send(prepared, abort);
}

const OK: AttemptResult = { kind: 'ok', rejectedItems: 0, message: '' };

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.destroy()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('signalUrls', () => {
  it('appends /v1/<signal> to the endpoint, and takes per-signal URLs as they are', () => {
    const urls = signalUrls(
      resolveOptions({
        endpoint: 'https://backend:4318/otlp/',
        tracesEndpoint: 'https://traces.example/custom',
      }),
    );
    expect(urls).toEqual({
      traces: 'https://traces.example/custom',
      metrics: 'https://backend:4318/otlp/v1/metrics',
      logs: 'https://backend:4318/otlp/v1/logs',
    });
  });
});

describe('HttpTransport', () => {
  it('POSTs gzip-compressed protobuf to /v1/<signal> with the configured headers', async () => {
    const s = await server();
    const t = await transport({ endpoint: s.url, headers: { 'X-Api-Key': 'secret' } });
    const bytes = requestBytes('traces', 3);
    expect(await send(t, 'traces', bytes)).toEqual(OK);
    const [req] = s.requests;
    expect(req!.path).toBe('/v1/traces');
    expect(req!.headers['content-type']).toBe('application/x-protobuf');
    expect(req!.headers['content-encoding']).toBe('gzip');
    expect(req!.headers['x-api-key']).toBe('secret');
    expect(req!.rawBody.equals(Buffer.from(bytes))).toBe(false);
    expect(req!.body.equals(Buffer.from(bytes))).toBe(true);
  });

  it('sends the bytes uncompressed with compression none', async () => {
    const s = await server();
    const t = await transport({ endpoint: s.url, compression: 'none' });
    const bytes = requestBytes('logs', 2);
    expect(await send(t, 'logs', bytes)).toEqual(OK);
    expect(s.requests[0]!.path).toBe('/v1/logs');
    expect(s.requests[0]!.headers['content-encoding']).toBeUndefined();
    expect(s.requests[0]!.rawBody.equals(Buffer.from(bytes))).toBe(true);
  });

  it('sends OTLP/JSON with encoding json and reads a JSON partial success', async () => {
    const answer = JSON.stringify({ partialSuccess: { rejectedSpans: '1', errorMessage: 'one too old' } });
    const s = await server([{ headers: { 'content-type': 'application/json' }, body: answer }]);
    const t = await transport({ endpoint: s.url, encoding: 'json' });
    const result = await send(t, 'traces', requestBytes('traces', 2, 0x0a));
    expect(result).toEqual({ kind: 'ok', rejectedItems: 1, message: 'one too old' });
    const req = s.requests[0]!;
    expect(req.headers['content-type']).toBe('application/json');
    const json = JSON.parse(req.body.toString()) as {
      resourceSpans: { scopeSpans: { spans: { spanId: string; traceId: string; name: string }[] }[] }[];
    };
    const spans = json.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans.map((x) => [x.name, x.spanId])).toEqual([
      ['span-10', '000000000000000a'],
      ['span-11', '000000000000000b'],
    ]);
    expect(spans[0]!.traceId).toBe('00000000000000000000000000000007');
  });

  it('reads a protobuf partial_success', async () => {
    const s = await server([{ body: partialSuccessBytes(2, 'bad attributes') }]);
    const t = await transport({ endpoint: s.url });
    expect(await send(t, 'metrics', requestBytes('metrics', 5))).toEqual({
      kind: 'ok',
      rejectedItems: 2,
      message: 'bad attributes',
    });
    expect(s.requests[0]!.path).toBe('/v1/metrics');
  });

  it('reads a gzip-compressed response', async () => {
    const body = gzipSync(partialSuccessBytes(1, 'zipped'));
    const s = await server([
      { headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, body },
    ]);
    const t = await transport({ endpoint: s.url });
    expect(await send(t, 'logs', requestBytes('logs', 3))).toEqual({
      kind: 'ok',
      rejectedItems: 1,
      message: 'zipped',
    });
  });

  it('takes a 2xx with an unreadable or oversized body as accepted', async () => {
    const s = await server([
      { body: Uint8Array.from([0x0a, 0xff]) },
      { body: partialSuccessBytes(1, 'x'.repeat(2_000)) },
    ]);
    const t = await transport({ endpoint: s.url, maxResponseBytes: 1_000 });
    const first = await send(t, 'traces', requestBytes('traces', 1));
    expect(first).toMatchObject({ kind: 'ok', rejectedItems: 0 });
    expect(await send(t, 'traces', requestBytes('traces', 1))).toEqual(OK);
  });

  it.each([429, 502, 503, 504])('answers retryable to HTTP %i', async (status) => {
    const s = await server([{ status }]);
    const t = await transport({ endpoint: s.url });
    const r = await send(t, 'traces', requestBytes('traces', 1));
    expect(r.kind).toBe('retryable');
    expect(r.kind === 'retryable' && r.retryAfterMs).toBeUndefined();
    expect(r.kind === 'retryable' && r.error.message).toContain(`HTTP ${status}`);
  });

  it('passes Retry-After on, in seconds or as an HTTP date', async () => {
    const soon = new Date(Date.now() + 60_000).toUTCString();
    const s = await server([
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 503, headers: { 'retry-after': soon } },
    ]);
    const t = await transport({ endpoint: s.url });
    expect(await send(t, 'traces', requestBytes('traces', 1))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 7_000,
    });
    const second = await send(t, 'traces', requestBytes('traces', 1));
    expect(second.kind === 'retryable' && second.retryAfterMs).toBeGreaterThan(50_000);
  });

  it.each([400, 401, 403, 404, 413, 500])('answers permanent to HTTP %i', async (status) => {
    const s = await server([{ status, body: statusBytes(3, `refused with ${status}`) }]);
    const t = await transport({ endpoint: s.url });
    const r = await send(t, 'logs', requestBytes('logs', 1));
    expect(r.kind).toBe('permanent');
    expect(r.kind === 'permanent' && r.error.message).toContain(`HTTP ${status}: refused with ${status}`);
  });

  it('answers retryable when the connection is refused', async () => {
    const port = await freePort();
    const t = await transport({ endpoint: `http://127.0.0.1:${port}` });
    const r = await send(t, 'traces', requestBytes('traces', 1));
    expect(r.kind === 'retryable' && r.error.code).toBe('ERR_OTLP_CONNECTION');
    expect(r.kind === 'retryable' && r.error.message).toContain('ECONNREFUSED');
  });

  it('answers retryable ERR_TIMEOUT when no answer comes within timeoutMs', async () => {
    const s = await server([{ hang: true }]);
    const t = await transport({ endpoint: s.url, timeoutMs: 200 });
    const r = await send(t, 'traces', requestBytes('traces', 1));
    expect(r.kind === 'retryable' && r.error.code).toBe('ERR_TIMEOUT');
  });

  it('answers retryable ERR_SHUTDOWN when aborted', async () => {
    const s = await server([{ hang: true }]);
    const t = await transport({ endpoint: s.url });
    const abort = new AbortController();
    const pending = send(t, 'traces', requestBytes('traces', 1), abort.signal);
    await s.nextRequest();
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

    it('trusts the server with caFile', async () => {
      const s = await server([], cert);
      const t = await transport({ endpoint: s.url, tls: { caFile: cert.certFile } });
      expect(await send(t, 'traces', requestBytes('traces', 1))).toEqual(OK);
      expect(s.requests).toHaveLength(1);
    });

    it('refuses an unknown certificate as retryable, and accepts it with insecureSkipVerify', async () => {
      const s = await server([], cert);
      const strict = await transport({ endpoint: s.url });
      const r = await send(strict, 'traces', requestBytes('traces', 1));
      expect(r.kind === 'retryable' && r.error.code).toBe('ERR_OTLP_CONNECTION');
      const lax = await transport({ endpoint: s.url, tls: { insecureSkipVerify: true } });
      expect(await send(lax, 'traces', requestBytes('traces', 1))).toEqual(OK);
    });

    it('checks the certificate against serverName', async () => {
      const s = await server([], cert);
      const right = await transport({
        endpoint: s.url,
        tls: { caPem: cert.cert.toString(), serverName: 'otlp.test' },
      });
      expect(await send(right, 'traces', requestBytes('traces', 1))).toEqual(OK);
      const wrong = await transport({
        endpoint: s.url,
        tls: { caPem: cert.cert.toString(), serverName: 'other.test' },
      });
      expect((await send(wrong, 'traces', requestBytes('traces', 1))).kind).toBe('retryable');
    });

    it('fails start with ERR_INVALID_OPTIONS naming an unreadable file', async () => {
      await expect(
        loadTls(resolveOptions({ tls: { caFile: '/nonexistent/ca.pem' } }).tls),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringContaining('tls.caFile'),
      });
    });
  });
});
