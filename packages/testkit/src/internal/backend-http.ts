import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import {
  encodeExportResponse,
  encodeGrpcStatusDetails,
  exportResponseToJson,
  jsonToProto,
  type Signal,
} from '@otlp-kafka/pdata';
import type { Answer, BackendCore } from './backend-core.js';

const BODY_ERRORS: Record<number, string> = {
  400: 'the body could not be decompressed',
  413: 'request too large',
  415: 'unsupported content encoding',
};

const PATHS: Record<string, Signal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

/** The OTLP/HTTP side of the test backend: POST /v1/{traces,metrics,logs}, protobuf or JSON, gzip or deflate. */
export class BackendHttp {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly core: BackendCore,
    private readonly maxBodyBytes: number,
    private readonly tls?: BackendTls,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.serve(req, res);
    const t = this.tls;
    const server: Server = t
      ? createHttpsServer(
          {
            cert: t.cert,
            key: t.key,
            ...(t.ca ? { ca: t.ca } : {}),
            requestCert: t.requireClientCert,
            rejectUnauthorized: t.requireClientCert,
          },
          handler,
        )
      : createServer(handler);
    server.on(t ? 'secureConnection' : 'connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('test backend: no TCP address');
    return address.port;
  }

  /** Closes the listener and cuts every connection at once (a backend that went away). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const signal = PATHS[(req.url ?? '').split('?')[0]!];
      if (!signal) return plain(res, 404, 'not found');
      if (req.method !== 'POST') return plain(res, 405, 'method not allowed', { allow: 'POST' });
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const json = type === 'application/json';
      if (!json && type !== 'application/x-protobuf')
        return plain(res, 415, `unsupported content type ${type}`);
      const body = await readBody(req, this.maxBodyBytes);
      if (typeof body === 'number') return plain(res, body, BODY_ERRORS[body] ?? 'bad request body');
      let bytes: Uint8Array = body;
      if (json) {
        const converted = jsonToProto(signal, body.toString('utf8'));
        if (converted.isErr())
          return answerHttp(res, signal, json, {
            kind: 'error',
            http: 400,
            grpc: 3,
            message: converted.error.message,
          });
        bytes = converted.value;
      }
      answerHttp(res, signal, json, await this.core.handle(signal, bytes, 'http', false, flatHeaders(req)));
    } catch (e) {
      plain(res, 500, String(e));
    }
  }
}

/** TLS of the backend's listeners (HTTPS, gRPC over TLS). */
export interface BackendTls {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** CA(s) trusted for client certificates. */
  readonly ca?: Buffer;
  /** Refuse clients without a certificate signed by `ca`. */
  readonly requireClientCert: boolean;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function answerHttp(res: ServerResponse, signal: Signal, json: boolean, answer: Answer): void {
  if (answer.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  const type = json ? 'application/json' : 'application/x-protobuf';
  if (answer.kind === 'ok') {
    const response = { rejectedItems: answer.rejectedItems, errorMessage: answer.message };
    const body = json
      ? Buffer.from(exportResponseToJson(signal, response))
      : Buffer.from(encodeExportResponse(signal, response));
    res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
    return;
  }
  // Error bodies are a google.rpc.Status, as the OTLP/HTTP specification asks.
  const body = json
    ? Buffer.from(JSON.stringify({ code: answer.grpc, message: answer.message }))
    : Buffer.from(encodeGrpcStatusDetails({ code: answer.grpc, message: answer.message }));
  const headers: Record<string, string | number> = { 'content-type': type, 'content-length': body.length };
  if (answer.retryAfterSeconds !== undefined) headers['retry-after'] = answer.retryAfterSeconds;
  res.writeHead(answer.http, headers).end(body);
}

function plain(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(message);
}

/** The decompressed body, or an HTTP status: 413 past the limit, 400 for a broken or unknown encoding. */
async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | number> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let stream: IncomingMessage | Gunzip | Inflate = req;
  if (encoding === 'gzip') stream = req.pipe(createGunzip());
  else if (encoding === 'deflate') stream = req.pipe(createInflate());
  else if (encoding !== 'identity') {
    req.resume();
    return 415;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        req.resume();
        return 413;
      }
      chunks.push(chunk);
    }
  } catch {
    return 400;
  }
  return Buffer.concat(chunks);
}
