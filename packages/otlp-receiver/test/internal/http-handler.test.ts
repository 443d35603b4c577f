import { request } from 'node:http';
import * as zlib from 'node:zlib';
import { backpressure, ok, partial, permanent, retryable, type Outcome } from '@otlp-kafka/core';
import {
  decodeExportResponse,
  decodeGrpcRetryDelayMs,
  exportResponseFromJson,
  jsonToProto,
} from '@otlp-kafka/pdata';
import { afterEach, describe, expect, it } from 'vitest';
import { ZSTD_SUPPORTED } from '../../src/internal/body.js';
import type { OtlpReceiver, OtlpReceiverOptions } from '../../src/index.js';
import { fakeConsumer, jsonRequest, post, protoRequest, startReceiver } from '../helpers.js';
import { createTestMeter } from '@otlp-kafka/testkit/metrics';

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.shutdown();
  receiver = undefined;
});

async function httpOnly(answer?: () => Outcome | Promise<Outcome>, options: OtlpReceiverOptions = {}) {
  const consumer = fakeConsumer(answer);
  receiver = await startReceiver({ traces: consumer }, { grpc: false, ...options });
  return { consumer, url: receiver.httpUrl! };
}

/** google.rpc.Status { code = 1, message = 2 } read by hand, independent of the encoder. */
function decodeStatus(bytes: Buffer): { code: number; message: string } {
  let pos = 0;
  let code = 0;
  let message = '';
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const tag = varint();
    if (tag === 8) code = varint();
    else if ((tag & 7) === 2) {
      const len = varint();
      if (tag >>> 3 === 2) message = bytes.subarray(pos, pos + len).toString('utf8');
      pos += len;
    } else throw new Error(`unexpected tag ${tag}`);
  }
  return { code, message };
}

describe('OTLP/HTTP outcomes', () => {
  it('ok: 200 with an empty protobuf ExportTraceServiceResponse, the batch as sent', async () => {
    const { consumer, url } = await httpOnly();
    const body = protoRequest('traces', 3);
    const res = await post(url, '/v1/traces', body, PROTO);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeExportResponse('traces', res.body).unwrap()).toEqual({ rejectedItems: 0, errorMessage: '' });
    expect(consumer.batches).toHaveLength(1);
    expect(consumer.batches[0]!.itemCount).toBe(3);
    expect(Buffer.from(consumer.batches[0]!.bytes).equals(body)).toBe(true);
  });

  it('ok with JSON: converted to protobuf, answered in JSON', async () => {
    const { consumer, url } = await httpOnly();
    const json = jsonRequest('traces', 4);
    const res = await post(url, '/v1/traces', json, { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body.toString())).toEqual({});
    expect(consumer.batches[0]!.itemCount).toBe(4);
    expect(
      Buffer.from(consumer.batches[0]!.bytes).equals(Buffer.from(jsonToProto('traces', json).unwrap())),
    ).toBe(true);
  });

  it('partial: 200 with partial_success, in both formats', async () => {
    const { url } = await httpOnly(() => partial(2, 'two spans too old'));
    const proto = await post(url, '/v1/traces', protoRequest('traces', 5), PROTO);
    expect(proto.status).toBe(200);
    expect(decodeExportResponse('traces', proto.body).unwrap()).toEqual({
      rejectedItems: 2,
      errorMessage: 'two spans too old',
    });
    const json = await post(url, '/v1/traces', jsonRequest('traces', 5), JSON_CT);
    expect(exportResponseFromJson('traces', json.body.toString()).unwrap()).toEqual({
      rejectedItems: 2,
      errorMessage: 'two spans too old',
    });
  });

  it('backpressure: 429 with Retry-After and a Status carrying RetryInfo', async () => {
    const { url } = await httpOnly(() => backpressure('memory limit', 2500));
    const res = await post(url, '/v1/traces', protoRequest('traces', 1), PROTO);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(decodeStatus(res.body)).toEqual({ code: 8, message: 'memory limit' });
    expect(decodeGrpcRetryDelayMs(res.body)).toBe(2500);
    const json = await post(url, '/v1/traces', jsonRequest('traces', 1), JSON_CT);
    expect(json.status).toBe(429);
    expect(JSON.parse(json.body.toString())).toEqual({
      code: 8,
      message: 'memory limit',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.500s' }],
    });
  });

  it('backpressure without a hint still tells the client when to retry', async () => {
    const { url } = await httpOnly(() => backpressure('queue full'));
    const res = await post(url, '/v1/traces', protoRequest('traces', 1), PROTO);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
  });

  it('retryable: 503, with Retry-After only when known', async () => {
    let hint: number | undefined = 4000;
    const { url } = await httpOnly(() => retryable('kafka down', hint));
    const withHint = await post(url, '/v1/traces', protoRequest('traces', 1), PROTO);
    expect(withHint.status).toBe(503);
    expect(withHint.headers['retry-after']).toBe('4');
    hint = undefined;
    const without = await post(url, '/v1/traces', jsonRequest('traces', 1), JSON_CT);
    expect(without.status).toBe(503);
    expect(without.headers['retry-after']).toBeUndefined();
    expect(JSON.parse(without.body.toString())).toEqual({ code: 14, message: 'kafka down' });
  });

  it('permanent: 400 INVALID_ARGUMENT with the message', async () => {
    const { url } = await httpOnly(() => permanent('record too large for kafka'));
    const res = await post(url, '/v1/traces', protoRequest('traces', 1), PROTO);
    expect(res.status).toBe(400);
    expect(decodeStatus(res.body)).toEqual({ code: 3, message: 'record too large for kafka' });
  });

  it('a consumer that rejects its promise: 503, never 200', async () => {
    const { url } = await httpOnly(() => Promise.reject(new Error('bug')));
    const res = await post(url, '/v1/traces', protoRequest('traces', 1), PROTO);
    expect(res.status).toBe(503);
  });

  it('an empty request is answered 200 without bothering the pipeline', async () => {
    const { consumer, url } = await httpOnly();
    const res = await post(url, '/v1/traces', Buffer.alloc(0), PROTO);
    expect(res.status).toBe(200);
    expect(consumer.batches).toHaveLength(0);
  });
});

describe('OTLP/HTTP bad requests', () => {
  it('400 naming the problem for malformed protobuf and JSON', async () => {
    const { consumer, url } = await httpOnly();
    const bad = await post(url, '/v1/traces', Buffer.from([0x0a, 0x05, 0x01]), PROTO);
    expect(bad.status).toBe(400);
    const status = decodeStatus(bad.body);
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^invalid ExportTraceServiceRequest: /);
    const badJson = await post(
      url,
      '/v1/traces',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]}',
      JSON_CT,
    );
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body.toString()).message).toMatch(/invalid OTLP\/JSON: .*traceId/);
    const notJson = await post(url, '/v1/traces', '{', JSON_CT);
    expect(notJson.status).toBe(400);
    expect(consumer.batches).toHaveLength(0);
  });

  it('415 for an unsupported media type or content encoding', async () => {
    const { url } = await httpOnly();
    const type = await post(url, '/v1/traces', 'x', { 'content-type': 'text/x-probe-marker' });
    expect(type.status).toBe(415);
    expect(type.body.toString()).toMatch(/unsupported media type/);
    // Nothing from the request is echoed back.
    expect(type.body.toString()).not.toContain('probe-marker');
    const none = await post(url, '/v1/traces', 'x', {});
    expect(none.status).toBe(415);
    const enc = await post(url, '/v1/traces', protoRequest('traces', 1), {
      ...PROTO,
      'content-encoding': 'x-probe-marker',
    });
    expect(enc.status).toBe(415);
    expect(enc.body.toString()).toMatch(/unsupported content encoding/);
    expect(enc.body.toString()).not.toContain('probe-marker');
  });

  it('405 with Allow for a wrong method, 404 for an unknown path', async () => {
    const { url } = await httpOnly();
    const get = await post(url, '/v1/traces', undefined, {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const put = await post(url, '/v1/traces', 'x', PROTO, 'PUT');
    expect(put.status).toBe(405);
    expect(put.body.toString()).not.toContain('PUT');
    const unknown = await post(url, '/v1/probe-marker', 'x', PROTO);
    expect(unknown.status).toBe(404);
    // A fixed text: the request's path is not echoed back.
    expect(unknown.body.toString()).toBe('404 not found');
    expect((await post(url, '/', 'x', PROTO)).status).toBe(404);
  });

  it('404 with UNIMPLEMENTED for a signal without a pipeline', async () => {
    const { url } = await httpOnly();
    const res = await post(url, '/v1/logs', protoRequest('logs', 1), PROTO);
    expect(res.status).toBe(404);
    expect(decodeStatus(res.body)).toEqual({ code: 12, message: 'no pipeline is configured for logs' });
  });

  it('serves configured url paths instead of the defaults', async () => {
    const consumer = fakeConsumer();
    receiver = await startReceiver(
      { traces: consumer, logs: consumer },
      { grpc: false, http: { endpoint: '127.0.0.1:0', tracesUrlPath: '/otlp/t', logsUrlPath: '/otlp/l' } },
    );
    expect((await post(receiver.httpUrl!, '/otlp/t', protoRequest('traces', 1), PROTO)).status).toBe(200);
    expect((await post(receiver.httpUrl!, '/otlp/l', protoRequest('logs', 2), PROTO)).status).toBe(200);
    expect((await post(receiver.httpUrl!, '/v1/traces', protoRequest('traces', 1), PROTO)).status).toBe(404);
    expect(consumer.batches.map((b) => b.signal)).toEqual(['traces', 'logs']);
  });
});

describe('OTLP/HTTP compression and size limits', () => {
  it('accepts gzip and deflate bodies', async () => {
    const { consumer, url } = await httpOnly();
    const body = protoRequest('traces', 2);
    expect(
      (await post(url, '/v1/traces', zlib.gzipSync(body), { ...PROTO, 'content-encoding': 'gzip' })).status,
    ).toBe(200);
    expect(
      (await post(url, '/v1/traces', zlib.deflateSync(body), { ...PROTO, 'content-encoding': 'deflate' }))
        .status,
    ).toBe(200);
    const json = zlib.gzipSync(jsonRequest('traces', 3));
    expect((await post(url, '/v1/traces', json, { ...JSON_CT, 'content-encoding': 'gzip' })).status).toBe(
      200,
    );
    expect(consumer.batches.map((b) => b.itemCount)).toEqual([2, 2, 3]);
    for (const b of consumer.batches.slice(0, 2)) expect(Buffer.from(b.bytes).equals(body)).toBe(true);
  });

  it.runIf(ZSTD_SUPPORTED)('accepts zstd bodies where zlib has zstd', async () => {
    const { consumer, url } = await httpOnly();
    const z = zlib as unknown as { zstdCompressSync(b: Buffer): Buffer };
    const res = await post(url, '/v1/traces', z.zstdCompressSync(protoRequest('traces', 3)), {
      ...PROTO,
      'content-encoding': 'zstd',
    });
    expect(res.status).toBe(200);
    expect(consumer.batches[0]!.itemCount).toBe(3);
  });

  it.skipIf(ZSTD_SUPPORTED)('answers zstd with 415 where zlib lacks it (Node 20)', async () => {
    const { url } = await httpOnly();
    const res = await post(url, '/v1/traces', Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), {
      ...PROTO,
      'content-encoding': 'zstd',
    });
    expect(res.status).toBe(415);
    expect(res.headers['accept-encoding']).toBe('gzip, deflate');
  });

  it('400 for a body that does not decompress', async () => {
    const { url } = await httpOnly();
    const res = await post(url, '/v1/traces', Buffer.from('plain'), { ...PROTO, 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(decodeStatus(res.body).message).toMatch(/cannot decompress the gzip body/);
  });

  it('413 when Content-Length is over the limit, before reading the body', async () => {
    const { consumer, url } = await httpOnly(undefined, {
      http: { endpoint: '127.0.0.1:0', maxRequestBodyBytes: 1000 },
    });
    const res = await post(url, '/v1/traces', Buffer.alloc(1001), PROTO);
    expect(res.status).toBe(413);
    expect(decodeStatus(res.body)).toEqual({
      code: 8,
      message: 'request body of 1001 bytes exceeds the limit of 1000 bytes',
    });
    expect(consumer.batches).toHaveLength(0);
  });

  it('413 for a chunked body or a decompressed body over the limit', async () => {
    const { url } = await httpOnly(undefined, {
      http: { endpoint: '127.0.0.1:0', maxRequestBodyBytes: 1000 },
    });
    const chunked = await streamPost(url, PROTO, (write) => {
      for (let i = 0; i < 5; i++) write(Buffer.alloc(300));
    });
    expect(chunked.status).toBe(413);
    const inflated = await post(url, '/v1/traces', zlib.gzipSync(Buffer.alloc(5000)), {
      ...PROTO,
      'content-encoding': 'gzip',
    });
    expect(inflated.status).toBe(413);
    expect(decodeStatus(inflated.body).message).toBe('request body exceeds the limit of 1000 bytes');
    // The server still works afterwards.
    expect((await post(url, '/v1/traces', protoRequest('traces', 1), PROTO)).status).toBe(200);
  });

  it('an endless gzip bomb gets 413, and the server stops reading it', async () => {
    const { url } = await httpOnly(undefined, {
      http: { endpoint: '127.0.0.1:0', maxRequestBodyBytes: 1024 * 1024 },
    });
    const gzip = zlib.createGzip({ level: 9 });
    const zeros = Buffer.alloc(256 * 1024);
    let sent = 0;
    const res = await new Promise<{ status: number }>((resolve, reject) => {
      const req = request(
        `${url}/v1/traces`,
        { method: 'POST', headers: { ...PROTO, 'content-encoding': 'gzip' }, agent: false },
        (r) => {
          stop = true;
          r.resume();
          resolve({ status: r.statusCode ?? 0 });
          req.destroy();
        },
      );
      let stop = false;
      req.on('error', (e) => (stop ? undefined : reject(e)));
      gzip.on('data', (c: Buffer) => {
        sent += c.length;
        if (!stop) req.write(c);
      });
      // Writes until the server answers; it never ends on its own.
      const feed = (): void => {
        if (stop) {
          gzip.destroy();
          return;
        }
        gzip.write(zeros, () => gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => setImmediate(feed)));
      };
      feed();
    });
    expect(res.status).toBe(413);
    // 1 MiB of zeros is ~1 KiB of gzip: the answer came long before a megabyte was sent.
    expect(sent).toBeLessThan(1024 * 1024);
  });
});

describe('OTLP/HTTP metadata', () => {
  it('puts lower-case headers into the batch metadata when includeMetadata is on', async () => {
    const { consumer, url } = await httpOnly(undefined, {
      http: { endpoint: '127.0.0.1:0', includeMetadata: true },
    });
    await post(url, '/v1/traces', protoRequest('traces', 1), {
      ...PROTO,
      'X-Tenant': 'acme',
      Authorization: 'Bearer t',
    });
    const md = consumer.batches[0]!.metadata;
    expect(md.headers?.['x-tenant']).toEqual(['acme']);
    expect(md.headers?.authorization).toEqual(['Bearer t']);
    expect(md.client).toEqual({ address: '127.0.0.1', transport: 'http' });
  });

  it('keeps only the client address by default', async () => {
    const { consumer, url } = await httpOnly();
    await post(url, '/v1/traces', protoRequest('traces', 1), { ...PROTO, 'X-Tenant': 'acme' });
    expect(consumer.batches[0]!.metadata).toEqual({ client: { address: '127.0.0.1', transport: 'http' } });
  });
});

describe('CORS', () => {
  const cors = {
    allowedOrigins: ['https://app.example.com', 'https://*.test.io'],
    allowedHeaders: ['X-Tenant'],
    maxAgeSec: 600,
  };

  it('answers a preflight from an allowed origin', async () => {
    const { url } = await httpOnly(undefined, { http: { endpoint: '127.0.0.1:0', cors } });
    const res = await post(
      url,
      '/v1/traces',
      undefined,
      {
        origin: 'https://web.test.io',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-tenant',
      },
      'OPTIONS',
    );
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://web.test.io');
    expect(res.headers['access-control-allow-methods']).toBe('POST');
    expect(res.headers['access-control-allow-headers']).toBe('content-type, x-tenant');
    expect(res.headers['access-control-max-age']).toBe('600');
  });

  it('gives no CORS headers to other origins, methods or headers', async () => {
    const { url } = await httpOnly(undefined, { http: { endpoint: '127.0.0.1:0', cors } });
    const preflight = (headers: Record<string, string>) =>
      post(url, '/v1/traces', undefined, headers, 'OPTIONS');
    const cases: Record<string, string>[] = [
      { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
      { origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' },
      {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-other',
      },
    ];
    for (const headers of cases) {
      const res = await preflight(headers);
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('marks actual responses for allowed origins only', async () => {
    const { url } = await httpOnly(undefined, { http: { endpoint: '127.0.0.1:0', cors } });
    const allowed = await post(url, '/v1/traces', protoRequest('traces', 1), {
      ...PROTO,
      origin: 'https://app.example.com',
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers.vary).toMatch(/Origin/);
    const other = await post(url, '/v1/traces', protoRequest('traces', 1), {
      ...PROTO,
      origin: 'https://x.example.com',
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('without CORS configured, OPTIONS is a wrong method', async () => {
    const { url } = await httpOnly();
    const res = await post(
      url,
      '/v1/traces',
      undefined,
      { origin: 'https://a.b', 'access-control-request-method': 'POST' },
      'OPTIONS',
    );
    expect(res.status).toBe(405);
  });
});

describe('OTLP/HTTP metrics', () => {
  it('counts accepted, refused and failed items with receiver and transport', async () => {
    const telemetry = createTestMeter();
    const outcomes: (() => Outcome | Promise<Outcome>)[] = [
      () => ok(),
      () => partial(1, 'one bad'),
      () => backpressure('full'),
      () => Promise.reject(new Error('bug')),
    ];
    const { url } = await httpOnly(() => outcomes.shift()!(), {
      meterProvider: telemetry.meterProvider,
      name: 'otlp/in',
    });
    for (const n of [3, 4, 5, 6]) await post(url, '/v1/traces', protoRequest('traces', n), PROTO);
    const attrs = { receiver: 'otlp/in', transport: 'http' };
    expect(await telemetry.sum('otelcol_receiver_accepted_spans', attrs)).toBe(3 + 3);
    expect(await telemetry.sum('otelcol_receiver_refused_spans', attrs)).toBe(1 + 5);
    expect(await telemetry.sum('otelcol_receiver_failed_spans', attrs)).toBe(6);
    expect(await telemetry.sum('otelcol_receiver_accepted_spans', { transport: 'grpc' })).toBeUndefined();
  });
});

/** A chunked POST (no Content-Length) written by `write`. */
function streamPost(
  url: string,
  headers: Record<string, string>,
  body: (write: (b: Buffer) => void) => void,
): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/traces`, { method: 'POST', headers, agent: false }, (r) => {
      r.resume();
      resolve({ status: r.statusCode ?? 0 });
    });
    req.on('error', reject);
    body((b) => req.write(b));
    req.end();
  });
}
