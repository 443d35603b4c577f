import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '@otlp-kafka/core';
import type { ParsedHttpOptions } from '../options.js';
import { formatAddress, parseEndpoint } from './endpoint.js';
import { HttpHandler } from './http-handler.js';
import type { Ingest } from './ingest.js';
import { loadTls } from './tls.js';

/** The OTLP/HTTP listener (node:http, or node:https with TLS). */
export class HttpTransport {
  private server: Server | undefined;
  private readonly handler: HttpHandler;
  private bound: AddressInfo | undefined;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly options: ParsedHttpOptions,
    ingest: Ingest,
    logger: Logger,
  ) {
    this.handler = new HttpHandler(options, ingest, logger);
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
    await this.closed;
  }
}
