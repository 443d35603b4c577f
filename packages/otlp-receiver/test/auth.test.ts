import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createBearerTokenAuthenticator, type ServerAuthenticator } from '@otlp-kafka/auth-extensions';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOtlpReceiver, otlpReceiverFactory, type OtlpReceiver } from '../src/index.js';
import { RefusalLog } from '../src/internal/auth.js';
import { toOptions } from '../src/internal/config-schema.js';
import { grpcClient } from './grpc-client.js';
import { fakeConsumer, jsonRequest, post, protoRequest, startReceiver } from './helpers.js';

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const noLogger = () => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('OTLP receiver with a bearer token authenticator', () => {
  const traces = fakeConsumer();
  const meter = createTestMeter();
  const logger = noLogger();
  let r: OtlpReceiver;
  beforeAll(async () => {
    r = await startReceiver(
      { traces },
      {
        authenticate: createBearerTokenAuthenticator({ token: 's3cret' }),
        meterProvider: meter.meterProvider,
        logger,
      },
    );
  });
  afterAll(() => r.shutdown());

  it('answers OTLP/HTTP without the token 401 with WWW-Authenticate, in the request format; nothing reaches the pipeline', async () => {
    const proto = await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 3), PROTO);
    expect(proto.status).toBe(401);
    expect(proto.headers['www-authenticate']).toBe('Bearer realm="otlp"');
    expect(proto.headers['content-type']).toBe('application/x-protobuf');
    const json = await post(r.httpUrl!, '/v1/traces', jsonRequest('traces', 3), {
      ...JSON_TYPE,
      ...bearer('wrong'),
    });
    expect(json.status).toBe(401);
    expect(JSON.parse(json.body.toString())).toEqual({
      code: 16,
      message: 'unauthenticated (invalid_credentials)',
    });
    const text = await post(r.httpUrl!, '/v1/traces', 'x', { 'Content-Type': 'text/plain' });
    expect(text.status).toBe(401);
    expect(text.body.toString()).toBe('401 unauthenticated (missing_credentials)');
    // Refused before the method is looked at, too.
    expect((await post(r.httpUrl!, '/v1/traces', undefined, {}, 'GET')).status).toBe(401);
    expect(traces.batches).toHaveLength(0);
    expect(await meter.sum('otelcol_receiver_unauthenticated_requests', { transport: 'http' })).toBe(4);
    expect(
      await meter.sum('otelcol_receiver_unauthenticated_requests', { reason: 'invalid_credentials' }),
    ).toBe(1);
    // One log line for the four (rate-limited).
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatchObject({ transport: 'http', reason: 'missing_credentials' });
  });

  it('lets OTLP/HTTP with the token through', async () => {
    const res = await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 3), {
      ...PROTO,
      ...bearer('s3cret'),
    });
    expect(res.status).toBe(200);
    expect(traces.batches).toHaveLength(1);
    traces.batches.length = 0;
  });

  it('answers OTLP/gRPC without the token UNAUTHENTICATED, and lets it through with it', async () => {
    const c = grpcClient(r.grpcAddress!);
    const refused = await c.export('traces', protoRequest('traces', 2));
    expect(refused).toMatchObject({
      ok: false,
      code: grpc.status.UNAUTHENTICATED,
      details: 'unauthenticated (missing_credentials)',
    });
    const wrong = new grpc.Metadata();
    wrong.set('authorization', 'Bearer nope');
    expect(await c.export('traces', protoRequest('traces', 2), wrong)).toMatchObject({
      ok: false,
      code: grpc.status.UNAUTHENTICATED,
    });
    expect(traces.batches).toHaveLength(0);
    const right = new grpc.Metadata();
    right.set('authorization', 'Bearer s3cret');
    expect((await c.export('traces', protoRequest('traces', 2), right)).ok).toBe(true);
    expect(traces.batches).toHaveLength(1);
    traces.batches.length = 0;
    c.close();
    expect(await meter.sum('otelcol_receiver_unauthenticated_requests', { transport: 'grpc' })).toBe(2);
  });

  it('keeps a keep-alive connection after a 401 with a declared body; closes it after a chunked one', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (headers: Record<string, string>, chunked: boolean) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = request(
          `${r.httpUrl}/v1/traces`,
          { method: 'POST', headers: { ...PROTO, ...headers }, agent },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
          },
        );
        req.on('error', reject);
        const body = protoRequest('traces', 1);
        if (chunked) req.write(body);
        else req.setHeader('Content-Length', body.length);
        req.end(chunked ? undefined : body);
      });
    expect(await send({}, false)).toEqual({ status: 401, connection: 'keep-alive' });
    expect(await send(bearer('s3cret'), false)).toEqual({ status: 200, connection: 'keep-alive' });
    expect(await send({}, true)).toEqual({ status: 401, connection: 'close' });
    agent.destroy();
    traces.batches.length = 0;
  });
});

describe('authenticate from code', () => {
  it('takes a function of the headers; a throw refuses (reason error); the refusal may name its challenge', async () => {
    const traces = fakeConsumer();
    const seen: unknown[] = [];
    const r = await startReceiver(
      { traces },
      {
        authenticate: (headers) => {
          seen.push(headers['x-tenant']);
          if (headers['x-tenant'] === 'boom') throw new Error('directory down');
          return headers['x-tenant'] === 'acme'
            ? { ok: true }
            : { ok: false, reason: 'unknown_tenant', challenge: 'Tenant realm="otlp"' };
        },
        logger: noLogger(),
      },
    );
    const ok = await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 1), {
      ...PROTO,
      'X-Tenant': 'acme',
    });
    expect(ok.status).toBe(200);
    const no = await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 1), { ...PROTO, 'X-Tenant': 'x' });
    expect(no.status).toBe(401);
    expect(no.headers['www-authenticate']).toBe('Tenant realm="otlp"');
    const boom = await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 1), {
      ...PROTO,
      'X-Tenant': 'boom',
    });
    expect(boom.status).toBe(401);
    expect(boom.headers['www-authenticate']).toBe('Bearer realm="otlp"');
    const md = new grpc.Metadata();
    md.set('x-tenant', 'acme');
    const c = grpcClient(r.grpcAddress!);
    expect((await c.export('traces', protoRequest('traces', 1), md)).ok).toBe(true);
    c.close();
    expect(seen).toEqual(['acme', 'x', 'boom', 'acme']); // gRPC metadata as HTTP headers: one value, a string
    expect(traces.batches).toHaveLength(2);
    await r.shutdown();
  });

  it("uses a protocol's own authenticate over the receiver's; leaves a CORS preflight alone", async () => {
    const r = await startReceiver(
      { traces: fakeConsumer() },
      {
        grpc: { endpoint: '127.0.0.1:0' },
        http: {
          endpoint: '127.0.0.1:0',
          authenticate: () => ({ ok: true }),
          cors: { allowedOrigins: ['https://app.example.com'] },
        },
        authenticate: () => ({ ok: false, reason: 'never' }),
      },
    );
    expect((await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 1), PROTO)).status).toBe(200);
    const c = grpcClient(r.grpcAddress!);
    expect(await c.export('traces', protoRequest('traces', 1))).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    c.close();
    await r.shutdown();

    const strict = await startReceiver(
      { traces: fakeConsumer() },
      {
        http: { endpoint: '127.0.0.1:0', cors: { allowedOrigins: ['https://app.example.com'] } },
        grpc: false,
        authenticate: () => ({ ok: false, reason: 'never' }),
      },
    );
    const preflight = await post(
      strict.httpUrl!,
      '/v1/traces',
      undefined,
      {
        Origin: 'https://app.example.com',
        'Access-Control-Request-Method': 'POST',
      },
      'OPTIONS',
    );
    expect(preflight.status).toBe(204);
    await strict.shutdown();
  });

  it('starts an authenticator once before listening and shuts it down after; a failing start fails start()', async () => {
    const calls: string[] = [];
    const a: ServerAuthenticator = {
      authenticate: () => ({ ok: true }),
      start: async () => void calls.push('start'),
      shutdown: async () => void calls.push('shutdown'),
    };
    const r = await startReceiver({ traces: fakeConsumer() }, { authenticate: a });
    expect(calls).toEqual(['start']);
    await r.shutdown();
    expect(calls).toEqual(['start', 'shutdown']);

    const dir = mkdtempSync(join(tmpdir(), 'otlp-auth-'));
    const failing = createOtlpReceiver({
      grpc: { endpoint: '127.0.0.1:0' },
      http: false,
      authenticate: createBearerTokenAuthenticator({ filename: join(dir, 'missing-token') }),
    });
    await expect(failing.start()).rejects.toThrow(/cannot read the token file .*missing-token/);
    expect(failing.grpcAddress).toBeUndefined();
    rmSync(dir, { recursive: true });
  });

  it('refuses an authenticate option that is not a function or an authenticator', () => {
    expect(() => createOtlpReceiver({ authenticate: 5 as never })).toThrow(
      /authenticate: must be a function of the request headers or an object with authenticate\(\)/,
    );
  });
});

describe('RefusalLog', () => {
  it('writes one line per interval, counting the refusals in between', () => {
    const logger = noLogger();
    let now = 0;
    const log = new RefusalLog(logger, 10_000, () => now);
    const f = { transport: 'http' as const, reason: 'missing_credentials', remoteAddress: '127.0.0.1' };
    log.refused(f);
    now = 5_000;
    log.refused(f);
    log.refused(f);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    now = 10_000;
    log.refused({ ...f, reason: 'invalid_credentials' });
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[1]![0]).toEqual({
      ...f,
      reason: 'invalid_credentials',
      refusedSinceLastLine: 2,
    });
  });
});

describe('otlpReceiverFactory auth.authenticator', () => {
  const context = (extensions?: Map<string, { type: string; config: unknown }>) => ({
    id: 'otlp',
    signals: ['traces' as const],
    logger: noLogger(),
    env: {},
    ...(extensions ? { extensions } : {}),
  });
  const config = (authenticator: string) =>
    otlpReceiverFactory.configSchema.parse({
      protocols: {
        grpc: { endpoint: '127.0.0.1:0', auth: { authenticator } },
        http: { endpoint: '127.0.0.1:0', auth: { authenticator } },
      },
    });

  it('resolves the id from the config extensions once for both protocols', async () => {
    const extensions = new Map([
      [
        'bearertokenauth/in',
        { type: 'bearertokenauth', config: { token: 't', scheme: 'Bearer', header: 'Authorization' } },
      ],
    ]);
    const resolve = vi.fn(() => createBearerTokenAuthenticator({ token: 't' }));
    const options = toOptions(config('bearertokenauth/in'), resolve);
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve).toHaveBeenCalledWith('bearertokenauth/in', 'protocols.grpc.auth.authenticator');
    expect(options.grpc && options.http && options.grpc.authenticate === options.http.authenticate).toBe(
      true,
    );

    const r = otlpReceiverFactory.create(config('bearertokenauth/in'), context(extensions)) as OtlpReceiver;
    r.connect('traces', fakeConsumer());
    await r.start();
    expect((await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 1), PROTO)).status).toBe(401);
    expect(
      (await post(r.httpUrl!, '/v1/traces', protoRequest('traces', 1), { ...PROTO, ...bearer('t') })).status,
    ).toBe(200);
    await r.shutdown();
  });

  it('names an undefined id or an extension that is no authenticator', () => {
    expect(() => otlpReceiverFactory.create(config('bearertokenauth/x'), context(new Map()))).toThrow(
      'protocols.grpc.auth.authenticator: "bearertokenauth/x" is not defined in extensions (defined: none)',
    );
    expect(() =>
      otlpReceiverFactory.create(
        config('file_storage'),
        context(new Map([['file_storage', { type: 'file_storage', config: { directory: '/tmp' } }]])),
      ),
    ).toThrow(
      '"file_storage" is a file_storage extension, not an authenticator (bearertokenauth, basicauth)',
    );
    expect(() => otlpReceiverFactory.configSchema.parse({ protocols: { http: { auth: {} } } })).toThrow();
  });
});
