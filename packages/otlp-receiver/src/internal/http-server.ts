import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '@otlp-kafka/core';
import type { ParsedHttpOptions } from '../options.js';
import type { RequestAuth } from './auth.js';
import { ConnectionRefusals, gateConnections } from './connections.js';
import { formatAddress, parseEndpoint } from './endpoint.js';
import { HttpHandler } from './http-handler.js';
import type { Ingest } from './ingest.js';
import type { ReceiverMetrics } from './metrics.js';
import { loadTls } from './tls.js';

const REFUSED_BODY = 'too many connections: the OTLP/HTTP receiver has maxConnections open\n';

/** The whole answer to a connection over the limit, written before any request is read. */
export const REFUSED_RESPONSE =
  'HTTP/1.1 503 Service Unavailable\r\n' +
  'Connection: close\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\n' +
  'Retry-After: 1\r\n' +
  `Content-Length: ${Buffer.byteLength(REFUSED_BODY)}\r\n\r\n` +
  REFUSED_BODY;

/** How long a refused connection may take to read its 503 before it is destroyed. */
const REFUSED_LINGER_MS = 1000;

/** The OTLP/HTTP listener (node:http, or node:https with TLS). */
export class HttpTransport {
  private server: Server | undefined;
  private readonly handler: HttpHandler;
  private bound: AddressInfo | undefined;
  private closed: Promise<void> | undefined;
  private refused: ReadonlySet<Socket> = new Set();
  private readonly refusals: ConnectionRefusals;

  constructor(
    private readonly options: ParsedHttpOptions,
    ingest: Ingest,
    metrics: ReceiverMetrics,
    logger: Logger,
    auth?: RequestAuth,
  ) {
    this.handler = new HttpHandler(options, ingest, logger, auth);
    this.refusals = new ConnectionRefusals('http', options.maxConnections, metrics, logger);
  }

  get address(): string | undefined {
    return this.bound ? formatAddress(this.bound.address, this.bound.port) : undefined;
  }

  get url(): string | undefined {
    return this.address ? `${this.options.tls ? 'https' : 'http'}://${this.address}` : undefined;
  }

  async listen(): Promise<void> {
    const tls = this.options.tls ? await loadTls(this.options.tls) : undefined;
    const server: Server = tls
      ? createTlsServer(
          {
            cert: tls.cert,
            key: tls.key,
            handshakeTimeout: this.options.readHeaderTimeoutMs,
            ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}),
          },
          this.handler.listener,
        )
      : createServer(this.handler.listener);
    this.applyTimeouts(server, tls !== undefined);
    this.refused = gateConnections(server, this.options.maxConnections, (socket) =>
      this.refuse(socket, tls !== undefined),
    ).refused;
    const { host, port } = parseEndpoint(this.options.endpoint);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.bound = server.address() as AddressInfo;
  }

  private applyTimeouts(server: Server, tls: boolean): void {
    const { idleTimeoutMs, readHeaderTimeoutMs } = this.options;
    server.keepAliveTimeout = idleTimeoutMs;
    server.headersTimeout = readHeaderTimeoutMs;
    // Node's headers timeout only starts once a request's first bytes arrive: a
    // connection that sends nothing would be held forever (seen: 19,990 of them,
    // up to the open-files limit). Until its first request, a connection gets
    // readHeaderTimeoutMs; after that Node's keep-alive and headers timeouts apply.
    const started = new WeakSet<Socket>();
    const onConnection = (socket: Socket): void => {
      const timer = setTimeout(() => {
        if (!started.has(socket)) socket.destroy();
      }, readHeaderTimeoutMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    };
    server.on('request', (req: { socket: Socket }) => started.add(req.socket));
    // With TLS the handshake has its own bound (handshakeTimeout); the request's
    // socket is then the TLS socket, the one watched.
    server.on(tls ? 'secureConnection' : 'connection', onConnection);
  }

  /**
   * A connection over the limit: in clear text it gets a 503 at once (the
   * request, if any, is read and discarded) and is closed; with TLS, answering
   * would cost a handshake, so it is closed right away.
   */
  private refuse(socket: Socket, tls: boolean): void {
    this.refusals.refused(socket.remoteAddress);
    socket.on('error', () => {});
    if (tls) {
      socket.destroy();
      return;
    }
    const timer = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.resume();
    socket.end(REFUSED_RESPONSE);
  }

  /** Stops accepting connections; open keep-alive connections close after their current answer. */
  stopAccepting(): void {
    this.handler.closing = true;
    const server = this.server;
    if (!server || this.closed) return;
    this.closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
  }

  /** After in-flight requests settled (or the timeout passed): drop whatever is still open. */
  async close(): Promise<void> {
    this.stopAccepting();
    this.server?.closeAllConnections();
    for (const socket of this.refused) socket.destroy();
    await this.closed;
  }
}
