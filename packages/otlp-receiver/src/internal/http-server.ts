import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
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
            ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}),
          },
          this.handler.listener,
        )
      : createServer(this.handler.listener);
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
