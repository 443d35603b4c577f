import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
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
  const scrape = coalescedScrape(exporter);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics')
      void scrape().then((text) => res.writeHead(200, { 'content-type': 'text/plain' }).end(text));
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

/** A scrape's result is reused this long: a flood of scrapes costs a few collections a second. */
export const SCRAPE_REUSE_MS = 100;

/**
 * Collecting and serialising every metric is the expensive part of a scrape
 * and runs on the thread that answers OTLP: concurrent scrapes share one
 * collection, and its text serves any scrape within SCRAPE_REUSE_MS after it.
 */
export function coalescedScrape(
  exporter: Pick<PrometheusExporter, 'collect'>,
  now: () => number = Date.now,
): () => Promise<string> {
  // The exporter's own serialisation (no prefix, no timestamps), without the scope info lines.
  const serializer = new PrometheusSerializer('', false, undefined, false, true);
  let last: { text: Promise<string>; doneAtMs: number | undefined } | undefined;
  return () => {
    if (last && (last.doneAtMs === undefined || now() - last.doneAtMs < SCRAPE_REUSE_MS)) return last.text;
    const entry: { text: Promise<string>; doneAtMs: number | undefined } = {
      doneAtMs: undefined,
      text: exporter.collect().then(
        ({ resourceMetrics }) => serializer.serialize(resourceMetrics),
        (e: unknown) => `# failed to collect metrics: ${(e as Error).message}\n`,
      ),
    };
    void entry.text.then(() => (entry.doneAtMs = now()));
    last = entry;
    return entry.text;
  };
}
