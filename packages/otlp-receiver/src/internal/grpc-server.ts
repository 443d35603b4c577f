import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { SIGNALS, type BatchMetadata, type Logger, type Signal } from '@otlp-kafka/core';
import { encodeGrpcStatusDetails } from '@otlp-kafka/pdata';
import { DEFAULTS, type ParsedGrpcOptions } from '../options.js';
import type { RequestAuth } from './auth.js';
import { ConnectionRefusals } from './connections.js';
import { formatAddress, parseEndpoint } from './endpoint.js';
import type { Ingest } from './ingest.js';
import type { ReceiverMetrics } from './metrics.js';
import { exportResponse } from './responses.js';
import { GrpcCode, replyFor } from './status.js';
import { loadTls } from './tls.js';

const SERVICE: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
};

const identity = (b: Buffer): Buffer => b;

/** The Export method with raw-bytes (de)serializers: the request stays an encoded protobuf. */
function serviceDefinition(signal: Signal): grpc.ServiceDefinition {
  return {
    Export: {
      path: `/${SERVICE[signal]}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: 'export',
    },
  };
}

/**
 * The client connection preface (RFC 9113 3.4): the 24-byte magic, then a
 * SETTINGS frame, whose 9-byte header is counted. Bytes that are not a preface
 * make nghttp2 close the connection itself, so at least this many read on a
 * connection still open means the preface came.
 */
export const PREFACE_BYTES = 24 + 9;

type Call = grpc.ServerUnaryCall<Buffer, Buffer>;
type Callback = grpc.sendUnaryData<Buffer>;

/**
 * The OTLP/gRPC listener (@grpc/grpc-js). The TCP listener is our own
 * `net.Server`, whose connections are handed to grpc-js through its connection
 * injector: grpc-js's own listener has no connection limit, and gives no access
 * to connections before they are HTTP/2 sessions.
 */
export class GrpcTransport {
  private server: grpc.Server | undefined;
  private listener: NetServer | undefined;
  private readonly sockets = new Set<Socket>();
  private port: number | undefined;
  private closing = false;
  private readonly refusals: ConnectionRefusals;

  constructor(
    private readonly options: ParsedGrpcOptions,
    private readonly ingest: Ingest,
    private readonly metrics: ReceiverMetrics,
    private readonly logger: Logger,
    private readonly auth?: RequestAuth,
  ) {
    this.refusals = new ConnectionRefusals('grpc', options.maxConnections, metrics, logger);
  }

  get address(): string | undefined {
    if (this.port === undefined) return undefined;
    return formatAddress(parseEndpoint(this.options.endpoint).host ?? '0.0.0.0', this.port);
  }

  async listen(): Promise<void> {
    const server = new grpc.Server(this.channelOptions());
    for (const signal of SIGNALS) {
      server.addService(serviceDefinition(signal), {
        Export: (call: Call, callback: Callback) => {
          void this.ingest.track(this.export(signal, call, callback));
        },
      });
    }
    const injector = server.createConnectionInjector(await this.credentials());
    const listener = createNetServer((socket) => {
      this.sockets.add(socket);
      this.watchPreface(socket);
      socket.once('close', () => this.sockets.delete(socket));
      injector.injectConnection(socket);
    });
    // Beyond the limit Node closes the connection right after accept, before any socket exists.
    if (this.options.maxConnections > 0) listener.maxConnections = this.options.maxConnections;
    listener.on('drop', (info?: { remoteAddress?: string }) => this.refusals.refused(info?.remoteAddress));
    this.metrics.observeOpenConnections('grpc', () => this.sockets.size);
    const { host, port } = parseEndpoint(this.options.endpoint);
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen({ host, port }, () => {
        listener.off('error', reject);
        resolve();
      });
    }).catch((e: unknown) => {
      server.forceShutdown();
      throw e;
    });
    listener.on('error', (err) => this.logger.error({ err }, 'OTLP/gRPC listener error'));
    this.port = (listener.address() as { port: number }).port;
    this.listener = listener;
    this.server = server;
  }

  /**
   * grpc-js reads the socket natively (nghttp2), so nothing here may read it:
   * the byte count the socket keeps tells whether the preface came. With TLS
   * these are the handshake's bytes (the HTTP/2 session starts after it), so a
   * connection that sends nothing is closed; the handshake itself is bounded
   * by Node's TLS handshakeTimeout (120 s).
   */
  private watchPreface(socket: Socket): void {
    const timer = setTimeout(() => {
      if (socket.bytesRead >= PREFACE_BYTES) return;
      this.metrics.connectionClosed('grpc', 'preface_timeout');
      this.logger.debug(
        { remoteAddress: socket.remoteAddress, bytesRead: socket.bytesRead },
        'OTLP/gRPC connection closed: no HTTP/2 preface within prefaceTimeoutMs',
      );
      socket.destroy();
    }, this.options.prefaceTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  stopAccepting(): void {
    this.closing = true;
  }

  /** Waits for calls to end (GOAWAY to clients), forcing connections closed after `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const listener = this.listener;
    this.listener = undefined;
    const closed = new Promise<void>((resolve) => listener?.close(() => resolve()) ?? resolve());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, timeoutMs);
      timer.unref();
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    // What grpc-js does not know of yet: connections still in their TLS handshake or before their
    // first bytes. The others close with their HTTP/2 session; destroying them here can cut off an
    // answer not yet flushed (Node 24 runs tryShutdown's callback before that), so they get the
    // time that is left and only then are destroyed.
    for (const socket of this.sockets) if (socket.bytesRead < PREFACE_BYTES) socket.destroy();
    await this.socketsClosed(Math.max(0, deadline - Date.now()));
    await closed;
  }

  /** Resolves once every tracked socket closed, destroying those still open after `timeoutMs`. */
  private async socketsClosed(timeoutMs: number): Promise<void> {
    const open = [...this.sockets];
    if (open.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(open.map((s) => (s.destroyed ? undefined : new Promise((r) => s.once('close', r))))),
      new Promise((r) => (timer = setTimeout(r, timeoutMs))),
    ]);
    clearTimeout(timer);
    for (const socket of open) socket.destroy();
  }

  private async export(signal: Signal, call: Call, callback: Callback): Promise<void> {
    try {
      if (this.closing) return callback({ code: GrpcCode.UNAVAILABLE, details: 'receiver is shutting down' });
      if (this.auth) {
        const refusal = await this.auth.check(authHeaders(call.metadata), peerAddress(call.getPeer()));
        if (refusal)
          return callback({ code: GrpcCode.UNAUTHENTICATED, details: `unauthenticated (${refusal.reason})` });
      }
      const result = await this.ingest.handle(signal, 'grpc', call.request, this.metadata(call));
      if (result.kind === 'no-pipeline')
        return callback({ code: GrpcCode.UNIMPLEMENTED, details: result.message });
      if (result.kind === 'invalid')
        return callback({ code: GrpcCode.INVALID_ARGUMENT, details: result.message });
      const reply = replyFor(result.outcome);
      if (reply.grpcCode === GrpcCode.OK) {
        return callback(
          null,
          Buffer.from(exportResponse(signal, 'proto', reply.rejectedItems, reply.message) as Uint8Array),
        );
      }
      const trailer = new grpc.Metadata();
      trailer.set(
        'grpc-status-details-bin',
        Buffer.from(
          encodeGrpcStatusDetails(
            reply.retryAfterMs === undefined
              ? { code: reply.grpcCode, message: reply.message }
              : { code: reply.grpcCode, message: reply.message, retryDelayMs: reply.retryAfterMs },
          ),
        ),
      );
      callback({ code: reply.grpcCode, details: reply.message, metadata: trailer });
    } catch (e) {
      this.logger.error({ err: e, signal }, 'OTLP/gRPC call failed');
      callback({ code: GrpcCode.INTERNAL, details: 'internal error' });
    }
  }

  private metadata(call: Call): BatchMetadata {
    const client = { address: peerAddress(call.getPeer()), transport: 'grpc' };
    if (!this.options.includeMetadata) return { client };
    return { headers: textMetadata(call.metadata), client };
  }

  private channelOptions(): grpc.ChannelOptions {
    const o: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': Math.floor(this.options.maxRecvMsgSizeMib * 1024 * 1024),
    };
    const k = this.options.keepalive?.serverParameters;
    o['grpc.max_connection_idle_ms'] =
      k?.maxConnectionIdleMs ?? DEFAULTS.grpc.keepalive.serverParameters.maxConnectionIdleMs;
    if (k?.maxConnectionAgeMs !== undefined) o['grpc.max_connection_age_ms'] = k.maxConnectionAgeMs;
    if (k?.maxConnectionAgeGraceMs !== undefined)
      o['grpc.max_connection_age_grace_ms'] = k.maxConnectionAgeGraceMs;
    if (k?.timeMs !== undefined) o['grpc.keepalive_time_ms'] = k.timeMs;
    if (k?.timeoutMs !== undefined) o['grpc.keepalive_timeout_ms'] = k.timeoutMs;
    return o;
  }

  private async credentials(): Promise<grpc.ServerCredentials> {
    if (!this.options.tls) return grpc.ServerCredentials.createInsecure();
    const tls = await loadTls(this.options.tls);
    return grpc.ServerCredentials.createSsl(
      tls.ca ?? null,
      [{ private_key: tls.key, cert_chain: tls.cert }],
      tls.ca !== undefined,
    );
  }
}

/** A call's metadata as headers: lower-case keys; binary (-bin) values are not text and stay out. */
function textMetadata(metadata: grpc.Metadata): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    if (key.endsWith('-bin')) continue;
    headers[key.toLowerCase()] = values.map(String);
  }
  return headers;
}

/** As node:http gives headers to an HTTP authenticator: one value as a string, several as an array. */
function authHeaders(metadata: grpc.Metadata): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(textMetadata(metadata)))
    headers[key] = values.length === 1 ? values[0]! : values;
  return headers;
}

/** grpc-js peers look like "ipv4:1.2.3.4:5", "ipv6:[::1]:5" or "1.2.3.4:5": keep the IP. */
export function peerAddress(peer: string): string {
  if (peer.startsWith('unix:')) return peer;
  const p = peer.replace(/^ipv[46]:/, '');
  const v6 = /^\[([^\]]+)\]/.exec(p);
  if (v6) return v6[1]!;
  const i = p.lastIndexOf(':');
  return i > 0 && p.indexOf(':') === i ? p.slice(0, i) : p;
}
