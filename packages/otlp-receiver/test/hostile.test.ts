// Issue 17's hostile-input cases that a test on loopback can do fast: for traces,
// metrics and logs over HTTP protobuf, HTTP JSON and gRPC, each with a valid client
// sending at the same time that must be served and lose nothing. The heavy cases
// (memory, the real agent and Kafka) are in e2e/hostile/.
import { connect as h2connect } from 'node:http2';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { encodeRequest, type RequestOf, type Signal } from '@otlp-kafka/pdata';
import { afterEach, describe, expect, it } from 'vitest';
import type { OtlpReceiver, OtlpReceiverOptions } from '../src/index.js';
import { grpcClient } from './grpc-client.js';
import { fakeConsumer, post, protoRequest, startReceiver } from './helpers.js';

const SIGNALS: Signal[] = ['traces', 'metrics', 'logs'];
const PATH: Record<Signal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };
const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
type Transport = 'http-proto' | 'http-json' | 'grpc';

let receiver: OtlpReceiver | undefined;
const cleanup: Array<() => void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) c();
  await receiver?.shutdown();
  receiver = undefined;
});

async function start(options: OtlpReceiverOptions = {}) {
  const consumer = fakeConsumer();
  receiver = await startReceiver({ traces: consumer, metrics: consumer, logs: consumer }, options);
  return consumer;
}

/**
 * A valid client of `signal` sending one-item protobuf requests one after
 * another (over OTLP/HTTP, or gRPC) until stopped. `stop` checks it was served
 * every time and that the pipeline got every item it sent (the hostile
 * requests never reach it).
 */
function validClient(signal: Signal, transport: 'http' | 'grpc', consumer: ReturnType<typeof fakeConsumer>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const client = transport === 'grpc' ? grpcClient(receiver!.grpcAddress!) : undefined;
  const url = receiver!.httpUrl!;
  let running = true;
  let sent = 0;
  const failures: string[] = [];
  const send = (i: number): Promise<string | undefined> =>
    client
      ? client
          .export(signal, protoRequest(signal, 1, 1000 + i))
          .then((r) => (r.ok ? undefined : `grpc ${r.code}`))
      : new Promise((resolve) => {
          const req = request(`${url}${PATH[signal]}`, { method: 'POST', agent, headers: PROTO }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode === 200 ? undefined : `http ${res.statusCode}`));
          });
          req.on('error', (e) => resolve(e.message));
          req.end(protoRequest(signal, 1, 1000 + i));
        });
  const loop = (async () => {
    for (let i = 0; running || sent < 3; i++) {
      const failure = await send(i);
      if (failure) failures.push(failure);
      sent++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  /** `extraItems`: items the test itself had accepted meanwhile. */
  return async (extraItems = 0): Promise<void> => {
    running = false;
    await loop;
    agent.destroy();
    client?.close();
    expect(failures).toEqual([]);
    expect(consumer.batches.reduce((n, b) => n + b.itemCount, 0)).toBe(sent + extraItems);
  };
}

/** A length-delimited protobuf field (field numbers below 16). */
function ld(field: number, payload: Buffer): Buffer {
  const len: number[] = [];
  let n = payload.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), payload]);
}

/** A request of one item whose resource holds an attribute with an AnyValue nested `depth` arrays deep. */
function overNested(signal: Signal, depth: number): Buffer {
  let value = ld(1, Buffer.from('leaf')); // AnyValue.string_value
  for (let i = 0; i < depth; i++) value = ld(5, ld(1, value)); // array_value > values
  const resource = ld(1, Buffer.concat([ld(1, Buffer.from('k')), ld(2, value)])); // Resource.attributes
  const item = protoRequest(signal, 1);
  // Export*ServiceRequest.resource_* (1) > resource (1): prepend ours to the first resource_*.
  const first = decodeLd(item, 0);
  return ld(1, Buffer.concat([ld(1, resource), first.payload]));
}

function decodeLd(b: Buffer, at: number): { payload: Buffer } {
  let pos = at + 1;
  let len = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos++]!;
    len |= (byte & 0x7f) << shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  return { payload: b.subarray(pos, pos + len) };
}

const resourceKey: Record<Signal, string> = {
  traces: 'resource_spans',
  metrics: 'resource_metrics',
  logs: 'resource_logs',
};

/** Protobuf requests of each signal with an invalid id or invalid UTF-8, and the field path refused. */
function invalidProto(signal: Signal): Array<{ name: string; bytes: Buffer; error: string }> {
  const marked = (request: unknown): Buffer => {
    const b = Buffer.from(encodeRequest(signal, request as RequestOf<typeof signal>));
    b[b.indexOf('MARKER') + 1] = 0xff;
    return b;
  };
  const enc = (request: unknown): Buffer =>
    Buffer.from(encodeRequest(signal, request as RequestOf<typeof signal>));
  const id16 = new Uint8Array(16).fill(1);
  const id8 = new Uint8Array(8).fill(1);
  switch (signal) {
    case 'traces':
      return [
        {
          name: '17-byte trace id',
          bytes: enc({
            resourceSpans: [
              { scopeSpans: [{ spans: [{ name: 's', traceId: new Uint8Array(17), spanId: id8 }] }] },
            ],
          }),
          error: 'resource_spans[0].scope_spans[0].spans[0].trace_id: 17 bytes, must be 16',
        },
        {
          name: 'invalid UTF-8 in a span name',
          bytes: marked({
            resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'MARKER', traceId: id16, spanId: id8 }] }] }],
          }),
          error: 'resource_spans[0].scope_spans[0].spans[0].name: invalid UTF-8',
        },
        {
          name: 'invalid UTF-8 in a resource attribute key',
          bytes: marked({
            resourceSpans: [
              {
                resource: { attributes: [{ key: 'MARKER', value: { stringValue: 'v' } }] },
                scopeSpans: [{ spans: [{ name: 's', traceId: id16, spanId: id8 }] }],
              },
            ],
          }),
          error: 'resource_spans[0].resource.attributes[0].key: invalid UTF-8',
        },
      ];
    case 'metrics':
      return [
        {
          name: '3-byte exemplar span id',
          bytes: enc({
            resourceMetrics: [
              {
                scopeMetrics: [
                  {
                    metrics: [
                      { name: 'm', gauge: { dataPoints: [{ exemplars: [{ spanId: new Uint8Array(3) }] }] } },
                    ],
                  },
                ],
              },
            ],
          }),
          error: 'exemplars[0].span_id: 3 bytes, must be 8',
        },
        {
          name: 'invalid UTF-8 in a metric name',
          bytes: marked({
            resourceMetrics: [
              { scopeMetrics: [{ metrics: [{ name: 'MARKER', gauge: { dataPoints: [{}] } }] }] },
            ],
          }),
          error: 'resource_metrics[0].scope_metrics[0].metrics[0].name: invalid UTF-8',
        },
      ];
    case 'logs':
      return [
        {
          name: '3-byte trace id',
          bytes: enc({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: new Uint8Array(3) }] }] }] }),
          error: 'resource_logs[0].scope_logs[0].log_records[0].trace_id: 3 bytes, must be 16',
        },
        {
          name: 'invalid UTF-8 in an attribute key',
          bytes: marked({
            resourceLogs: [
              {
                scopeLogs: [
                  { logRecords: [{ attributes: [{ key: 'MARKER', value: { stringValue: 'v' } }] }] },
                ],
              },
            ],
          }),
          error: 'resource_logs[0].scope_logs[0].log_records[0].attributes[0].key: invalid UTF-8',
        },
      ];
  }
}

/** OTLP/JSON requests with a bad id or too deep a nesting, and the JSON path refused. */
function invalidJson(signal: Signal): Array<{ name: string; text: string; error: string }> {
  let deep = '{"stringValue":"leaf"}';
  for (let i = 0; i < 10_000; i++) deep = `{"arrayValue":{"values":[${deep}]}}`;
  const top = { traces: 'resourceSpans', metrics: 'resourceMetrics', logs: 'resourceLogs' }[signal];
  const cases = [
    {
      name: 'AnyValue nested 10,000 levels',
      text: `{"${top}":[{"resource":{"attributes":[{"key":"k","value":${deep}}]}}]}`,
      error: `${top}[0].resource.attributes[0].value`,
    },
  ];
  if (signal === 'traces') {
    cases.push(
      {
        name: '8-byte trace id',
        text: JSON.stringify({
          resourceSpans: [
            { scopeSpans: [{ spans: [{ name: 's', traceId: 'ab'.repeat(8), spanId: 'ab'.repeat(8) }] }] },
          ],
        }),
        error: 'resourceSpans[0].scopeSpans[0].spans[0].traceId: 8 bytes, must be 16',
      },
      {
        name: 'trace id of 500,000 hex digits',
        text: JSON.stringify({
          resourceSpans: [
            {
              scopeSpans: [{ spans: [{ name: 's', traceId: 'ab'.repeat(250_000), spanId: 'ab'.repeat(8) }] }],
            },
          ],
        }),
        error: 'resourceSpans[0].scopeSpans[0].spans[0].traceId',
      },
    );
  }
  return cases;
}

describe('hostile: invalid data is refused with the field path, valid clients are served meanwhile', () => {
  for (const signal of SIGNALS)
    for (const transport of ['http-proto', 'http-json', 'grpc'] as Transport[])
      it(`${signal} over ${transport}`, async () => {
        const consumer = await start();
        const stop = validClient(signal, transport === 'grpc' ? 'grpc' : 'http', consumer);
        const cases =
          transport === 'http-json'
            ? invalidJson(signal).map((c) => ({
                name: c.name,
                body: c.text as string | Buffer,
                error: c.error,
              }))
            : [
                {
                  name: 'AnyValue nested 10,000 levels',
                  body: overNested(signal, 10_000) as string | Buffer,
                  error: `${resourceKey[signal]}[0].resource.attributes[0].value.array_value.values[0]`,
                },
                ...invalidProto(signal).map((c) => ({
                  name: c.name,
                  body: c.bytes as string | Buffer,
                  error: c.error,
                })),
              ];
        const client = transport === 'grpc' ? grpcClient(receiver!.grpcAddress!) : undefined;
        cleanup.push(() => client?.close());
        for (const c of cases) {
          if (client) {
            const reply = await client.export(signal, c.body as Buffer);
            expect(reply.ok ? 'ok' : reply.code, c.name).toBe(grpc.status.INVALID_ARGUMENT);
            if (!reply.ok) expect(reply.details, c.name).toContain(c.error);
            if (!reply.ok && c.name.startsWith('AnyValue'))
              expect(reply.details).toContain('nested deeper than 64');
          } else {
            const res = await post(
              receiver!.httpUrl!,
              PATH[signal],
              c.body,
              transport === 'http-json' ? JSON_TYPE : PROTO,
            );
            expect(res.status, c.name).toBe(400);
            expect(res.body.toString('latin1'), c.name).toContain(c.error);
            if (c.name.startsWith('AnyValue'))
              expect(res.body.toString('latin1')).toContain('nested deeper than 64');
          }
        }
        if (transport !== 'http-json') {
          // Nesting within the limit still passes.
          const fine = overNested(signal, 30);
          const ok = client
            ? (await client.export(signal, fine)).ok
            : (await post(receiver!.httpUrl!, PATH[signal], fine, PROTO)).status === 200;
          expect(ok).toBe(true);
        }
        await stop(transport === 'http-json' ? 0 : 1);
      });
});

describe('hostile: decompression bombs', () => {
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  const bombs = {
    gzip: gzipSync(zeros),
    deflate: deflateSync(zeros),
    'deflate (raw)': deflateRawSync(zeros),
  };

  for (const signal of SIGNALS)
    it(`${signal}: gzip and deflate bombs get 413 at once and memory stays flat`, async () => {
      const consumer = await start({
        http: { endpoint: '127.0.0.1:0', maxRequestBodyBytes: 4 * 1024 * 1024 },
      });
      const stop = validClient(signal, 'http', consumer);
      const before = process.memoryUsage();
      const t = performance.now();
      for (let round = 0; round < 3; round++)
        for (const [name, bomb] of Object.entries(bombs)) {
          const res = await post(receiver!.httpUrl!, PATH[signal], bomb, {
            ...PROTO,
            'content-encoding': name.startsWith('gzip') ? 'gzip' : 'deflate',
          });
          expect(res.status, name).toBe(413);
        }
      expect(performance.now() - t).toBeLessThan(5000);
      const after = process.memoryUsage();
      // Nine bombs of 64 MiB each: at most the 4 MiB limit and a zlib chunk live per bomb.
      expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
      await stop();
    });

  for (const signal of SIGNALS)
    it(`gRPC ${signal}: a compressed message that inflates past maxRecvMsgSize is RESOURCE_EXHAUSTED, the valid client served`, async () => {
      const consumer = await start({ grpc: { endpoint: '127.0.0.1:0', maxRecvMsgSizeMib: 1 } });
      const stop = validClient(signal, 'grpc', consumer);
      const bomber = grpcClient(receiver!.grpcAddress!, { 'grpc.default_compression_algorithm': 2 });
      cleanup.push(() => bomber.close());
      for (let i = 0; i < 3; i++) {
        const reply = await bomber.export(signal, Buffer.alloc(8 * 1024 * 1024));
        expect(reply.ok ? 'ok' : reply.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      }
      await stop();
    });
});

/** A raw TCP connection that sends nothing; resolves how long until the server closed it. */
async function silent(address: string): Promise<{ socket: Socket; closed: Promise<number> }> {
  const { hostname, port } = new URL(`tcp://${address}`);
  const socket = connect(Number(port), hostname);
  cleanup.push(() => socket.destroy());
  socket.on('error', () => {});
  socket.on('data', () => {});
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const t = performance.now();
  return {
    socket,
    closed: new Promise((resolve) => socket.once('close', () => resolve(performance.now() - t))),
  };
}

describe('hostile: silent connections are closed', () => {
  it('HTTP: 50 silent connections are closed after readHeaderTimeout, the valid client served throughout', async () => {
    const consumer = await start({
      http: { endpoint: '127.0.0.1:0', readHeaderTimeoutMs: 500, idleTimeoutMs: 500 },
    });
    const stop = validClient('logs', 'http', consumer);
    const conns = await Promise.all(Array.from({ length: 50 }, () => silent(receiver!.httpAddress!)));
    const closedAfter = await Promise.all(conns.map((c) => c.closed));
    // Node checks the headers timeout on a timer of its own, at most a second late.
    expect(Math.max(...closedAfter)).toBeLessThan(4000);
    expect(Math.min(...closedAfter)).toBeGreaterThan(300);
    await stop();
  });

  it('gRPC: 50 TCP connections without the HTTP/2 preface and 10 HTTP/2 sessions without streams are closed, the valid client served', async () => {
    const consumer = await start({
      grpc: {
        endpoint: '127.0.0.1:0',
        prefaceTimeoutMs: 500,
        keepalive: { serverParameters: { maxConnectionIdleMs: 1000 } },
      },
    });
    const stop = validClient('metrics', 'grpc', consumer);
    const conns = await Promise.all(Array.from({ length: 50 }, () => silent(receiver!.grpcAddress!)));
    const sessions = Array.from({ length: 10 }, () => {
      const s = h2connect(`http://${receiver!.grpcAddress!}`);
      s.on('error', () => {});
      cleanup.push(() => s.destroy());
      return new Promise<void>((resolve) => {
        s.once('goaway', () => resolve());
        s.once('close', () => resolve());
      });
    });
    const closedAfter = await Promise.all(conns.map((c) => c.closed));
    expect(Math.max(...closedAfter)).toBeLessThan(3000);
    await Promise.race([
      Promise.all(sessions),
      new Promise((_, reject) => setTimeout(() => reject(new Error('sessions kept')), 5000)),
    ]);
    await stop();
  });

  it('maxConnections: silent connections beyond it are refused, and once the timeouts close them the valid client connects again', async () => {
    const consumer = await start({
      http: { endpoint: '127.0.0.1:0', readHeaderTimeoutMs: 500, maxConnections: 10 },
    });
    const conns = await Promise.all(Array.from({ length: 10 }, () => silent(receiver!.httpAddress!)));
    const refused = await silent(receiver!.httpAddress!);
    expect(await refused.closed).toBeLessThan(1000);
    await Promise.all(conns.map((c) => c.closed));
    const res = await post(receiver!.httpUrl!, PATH.traces, protoRequest('traces', 2), PROTO);
    expect(res.status).toBe(200);
    expect(consumer.batches.reduce((n, b) => n + b.itemCount, 0)).toBe(2);
  });
});

describe('hostile: error bodies echo nothing of the request', () => {
  it('404 and 415 answers hold neither the path nor the Content-Type nor the Content-Encoding sent', async () => {
    const consumer = await start();
    const stop = validClient('traces', 'http', consumer);
    const marker = 'XSS<script>alert(1)</script>';
    const url = receiver!.httpUrl!;
    const answers = [
      await post(url, `/v1/${encodeURIComponent(marker)}`, 'x', PROTO),
      await post(url, `/${marker.replace(/[<>()]/g, '_')}`, 'x', PROTO),
      await post(url, PATH.traces, 'x', { 'content-type': `text/${marker}` }),
      await post(url, PATH.logs, 'x', { ...PROTO, 'content-encoding': marker }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 404, 415, 415]);
    for (const a of answers) {
      const text = a.body.toString('latin1') + JSON.stringify(a.headers);
      expect(text).not.toContain('XSS');
      expect(text).not.toContain('script');
    }
    await stop();
  });
});
