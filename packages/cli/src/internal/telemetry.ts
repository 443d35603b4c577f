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
  const exporter = new PrometheusExporter({ host, port, preventServerStart: true, withoutScopeInfo: true });
  await exporter.startServer();
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    meterProvider,
    address: `${host}:${port}`,
    async shutdown() {
      await meterProvider.shutdown();
      await exporter.stopServer();
    },
  };
}
