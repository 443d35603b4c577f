import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineFactory, type Component } from '@otlp-kafka/core';
import { healthCheckSchema, type HealthCheckConfig } from '@otlp-kafka/config';

/** Where the process is in its life: only `ready` answers readiness with 200. */
export type HealthStatus = 'starting' | 'ready' | 'stopping';

/** Liveness: 200 while the process answers, whatever its status (a drain must not look like a hang). */
export const LIVENESS_PATH = '/livez';
/** Readiness as plain text (the configured `path` answers the same with the Collector's JSON). */
export const READINESS_PATH = '/readyz';

/**
 * The Collector's `health_check` extension, run by the otlp-kafka command:
 * `path` (default `/`) answers 200 with the Collector's status JSON once the
 * pipelines (and their Kafka connections) are started, and 503 before that and
 * again as soon as shutdown begins; `/readyz` answers the same in plain text
 * and `/livez` answers 200 whenever the process does. The server stays up
 * through the drain and closes last.
 */
export class HealthCheck implements Component {
  private server: Server | undefined;
  private status: HealthStatus = 'starting';
  private readySince: Date | undefined;
  private boundAddress: string | undefined;
  private readonly host: string;
  private readonly port: number;

  constructor(private readonly config: HealthCheckConfig) {
    const i = config.endpoint.lastIndexOf(':');
    let host = config.endpoint.slice(0, i);
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    this.host = host === '' ? '0.0.0.0' : host;
    this.port = Number(config.endpoint.slice(i + 1));
    if (this.port > 65535) throw new RangeError(`endpoint port ${this.port} is over 65535`);
  }

  /** host:port it listens on (the real port when the endpoint's is 0), once started. */
  get address(): string | undefined {
    return this.boundAddress;
  }

  setStatus(status: HealthStatus): void {
    if (status === 'ready' && this.status !== 'ready') this.readySince = new Date();
    this.status = status;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.answer(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const failed = (e: Error) =>
        reject(
          new Error(`cannot serve health_check on ${this.host}:${this.port}: ${e.message}`, { cause: e }),
        );
      server.once('error', failed);
      server.listen(this.port, this.host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    const bound = (server.address() as AddressInfo).port;
    this.boundAddress = `${this.host.includes(':') ? `[${this.host}]` : this.host}:${bound}`;
  }

  async shutdown(): Promise<void> {
    this.status = 'stopping';
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // a prober's keep-alive connection must not hold the exit
    await closed;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const ready = this.status === 'ready';
    if (path === this.config.path) {
      const custom = ready ? this.config.response_body?.healthy : this.config.response_body?.unhealthy;
      const body =
        custom ??
        JSON.stringify({
          status: ready ? 'Server available' : 'Server not available',
          upSince: (ready ? this.readySince! : new Date(0)).toISOString(),
          uptime: ready ? `${((Date.now() - this.readySince!.getTime()) / 1000).toFixed(3)}s` : '',
          phase: this.status,
        });
      res
        .writeHead(ready ? 200 : 503, {
          'content-type': custom === undefined ? 'application/json' : 'text/plain',
        })
        .end(body);
    } else if (path === READINESS_PATH) {
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(`${this.status}\n`);
    } else if (path === LIVENESS_PATH) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`alive (${this.status})\n`);
    } else {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`not found: health is at ${this.config.path}, ${READINESS_PATH} and ${LIVENESS_PATH}\n`);
    }
  }
}

/** The `health_check` extension factory; the CLI adds it to any registry that has none. */
export const healthCheckFactory = defineFactory({
  kind: 'extension',
  type: 'health_check',
  configSchema: healthCheckSchema,
  create: (config) => new HealthCheck(config),
});
