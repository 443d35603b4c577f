import type { Exporter } from '@otlp-kafka/core';
import { OtlpExporterImpl } from './internal/exporter.js';
import { resolveOptions, type OtlpExporterOptions } from './options.js';

/** An Exporter sending OTLP/HTTP or OTLP/gRPC, with retries and a bounded sending queue. */
export interface OtlpExporter extends Exporter {
  /** The `exporter` attribute of its metrics. */
  readonly name: string;
  /** Batches waiting in the sending queue for a consumer. */
  readonly queueSize: number;
  /** Batches being sent now, including those waiting between retries. */
  readonly sending: number;
}

/**
 * Validates the options (throws ERR_INVALID_OPTIONS) and builds the exporter;
 * start() reads the TLS files and opens the client.
 */
export function createOtlpExporter(options?: OtlpExporterOptions): OtlpExporter {
  return new OtlpExporterImpl(resolveOptions(options), options ?? {});
}
