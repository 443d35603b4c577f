import { metrics, type Meter, type MeterProvider } from '@opentelemetry/api';
import type { Signal } from '@otlp-kafka/pdata';

/** A pino-compatible logger: pass a pino instance, or anything with these methods. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child?(bindings: Record<string, unknown>): Logger;
}

/** Options every component accepts for its own telemetry. */
export interface TelemetryOptions {
  /** Defaults to the global MeterProvider of @opentelemetry/api (a no-op until one is registered). */
  meterProvider?: MeterProvider;
  /** Defaults to a logger that discards everything. */
  logger?: Logger;
}

const noop = (): void => {};
export const noopLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

export function getMeter(options: TelemetryOptions | undefined, component: string): Meter {
  const provider = options?.meterProvider ?? metrics.getMeterProvider();
  return provider.getMeter(`@otlp-kafka/${component}`);
}

export function getLogger(options: TelemetryOptions | undefined, component: string): Logger {
  const logger = options?.logger ?? noopLogger;
  return logger.child ? logger.child({ component }) : logger;
}

/** The Collector's item noun per signal, as in otelcol_receiver_accepted_{spans,metric_points,log_records}. */
export const ITEM_NOUN: Record<Signal, string> = {
  traces: 'spans',
  metrics: 'metric_points',
  logs: 'log_records',
};
