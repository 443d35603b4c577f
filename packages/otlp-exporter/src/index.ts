export { createOtlpExporter, type OtlpExporter } from './exporter.js';
export { otlpGrpcExporterFactory, otlpHttpExporterFactory } from './factory.js';
export {
  DEFAULTS,
  type OtlpExporterOptions,
  type OtlpTlsOptions,
  type RetryOnFailureOptions,
  type SendingQueueOptions,
  type OtlpProtocol,
  type OtlpEncoding,
  type OtlpCompression,
} from './options.js';
