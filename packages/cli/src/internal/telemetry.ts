import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ServiceConfig } from '@otlp-kafka/config';

export interface CliTelemetry {
  meterProvider: MeterProvider;
  /** host:port of the Prometheus endpoint, or undefined when metrics are off. */
  address?: string;
  shutdown(): Promise<void>;
}

/**
 * The process's own metrics on a Prometheus endpoint, as the Collector's
 * service.telemetry.metrics (default 127.0.0.1:8888, path /metrics).
 */
export async function startTelemetry(config: ServiceConfig['telemetry']): Promise<CliTelemetry> {
  const metrics = config?.metrics;
  if (metrics?.level === 'none') {
    const meterProvider = new MeterProvider();
    return { meterProvider, shutdown: () => meterProvider.shutdown() };
  }
  const reader = metrics?.readers?.[0]?.pull.exporter.prometheus;
  let host = reader?.host ?? '127.0.0.1';
  let port = reader?.port ?? 8888;
  if (!reader && metrics?.address) {
    const i = metrics.address.lastIndexOf(':');
    host = metrics.address.slice(0, i) || '0.0.0.0';
    port = Number(metrics.address.slice(i + 1));
  }
  // Our own server: the exporter's treats port 0 as "its default, 9464", so an
  // ephemeral port would not be one, and the address logged would be wrong.
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics')
      exporter.getMetricsRequestHandler(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
  });
  await listen(server, host, port);
  const bound = (server.address() as AddressInfo).port;
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    meterProvider,
    address: `${host.includes(':') ? `[${host}]` : host}:${bound}`,
    async shutdown() {
      await meterProvider.shutdown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // a scraper's keep-alive connection must not hold the shutdown
      await closed;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (e: Error) =>
      reject(new Error(`cannot serve metrics on ${host}:${port}: ${e.message}`, { cause: e }));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
