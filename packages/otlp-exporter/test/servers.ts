import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  Metadata,
  Server,
  ServerCredentials,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { deferred } from './helpers.js';

/** One request as the test server saw it (body already gunzipped). */
export interface SeenRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  readonly body: Buffer;
}

/** How the HTTP server answers one request; `hold` keeps it unanswered until the promise settles. */
export interface HttpAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  hold?: Promise<void>;
  /** Never answer (the connection stays open until the server stops). */
  hang?: boolean;
}

/**
 * A tiny OTLP/HTTP backend: answers from a script (the last entry repeats,
 * default 200 with an empty body) and records every request.
 */
export async function startHttpServer(
  script: HttpAnswer[] = [],
  tls?: { cert: Buffer; key: Buffer },
  port = 0,
): Promise<{
  url: string;
  port: number;
  requests: SeenRequest[];
  script: HttpAnswer[];
  nextRequest(): Promise<SeenRequest>;
  stop(): Promise<void>;
}> {
  const requests: SeenRequest[] = [];
  let waiter = deferred<SeenRequest>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(rawBody) : rawBody;
      const seen = { path: req.url ?? '', headers: req.headers, rawBody, body };
      requests.push(seen);
      const answer = script[Math.min(requests.length - 1, script.length - 1)] ?? {};
      waiter.resolve(seen);
      waiter = deferred<SeenRequest>();
      if (answer.hang) return;
      void (answer.hold ?? Promise.resolve()).then(() => {
        res.writeHead(answer.status ?? 200, answer.headers ?? { 'content-type': 'application/x-protobuf' });
        res.end(answer.body ?? '');
      });
    });
  };
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${bound}`,
    port: bound,
    requests,
    script,
    nextRequest: () => waiter.promise,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound then released). */
export async function freePort(): Promise<number> {
  const s = createHttpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** How the gRPC server answers: OK with a response body, or a status with optional trailers. */
export interface GrpcAnswer {
  code?: number;
  details?: string;
  response?: Uint8Array;
  statusDetails?: Uint8Array;
  hold?: Promise<void>;
  hang?: boolean;
}

export interface SeenCall {
  readonly path: string;
  readonly metadata: Metadata;
  readonly body: Buffer;
}

const raw = (b: Buffer): Buffer => b;
const PATHS = [
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
];

/** A tiny OTLP/gRPC backend with raw Buffer (de)serializers, answering from a script. */
export async function startGrpcServer(
  script: GrpcAnswer[] = [],
  tls?: { cert: Buffer; key: Buffer },
  port = 0,
): Promise<{
  address: string;
  port: number;
  calls: SeenCall[];
  script: GrpcAnswer[];
  stop(): Promise<void>;
}> {
  const server = new Server();
  const calls: SeenCall[] = [];
  for (const path of PATHS) {
    const definition: ServiceDefinition = {
      Export: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    };
    server.addService(definition, {
      Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        calls.push({ path, metadata: call.metadata, body: call.request });
        const answer = script[Math.min(calls.length - 1, script.length - 1)] ?? {};
        if (answer.hang) return;
        void (answer.hold ?? Promise.resolve()).then(() => {
          if (!answer.code) return callback(null, Buffer.from(answer.response ?? new Uint8Array(0)));
          const metadata = new Metadata();
          if (answer.statusDetails)
            metadata.set('grpc-status-details-bin', Buffer.from(answer.statusDetails));
          callback({ code: answer.code, details: answer.details ?? 'scripted failure', metadata });
        });
      },
    });
  }
  const creds = tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }])
    : ServerCredentials.createInsecure();
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${bound}`,
    port: bound,
    calls,
    script,
    stop: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
