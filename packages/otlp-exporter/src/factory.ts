import { defineFactory } from '@otlp-kafka/core';
import { createOtlpExporter } from './exporter.js';
import { authOptions, grpcConfigSchema, httpConfigSchema, toOptions } from './internal/config-schema.js';

/** The `otlp_grpc` exporter (the Collector's deprecated name `otlp` too). */
export const otlpGrpcExporterFactory = defineFactory({
  kind: 'exporter',
  type: 'otlp_grpc',
  aliases: ['otlp'],
  configSchema: grpcConfigSchema,
  create: (config, context) =>
    createOtlpExporter({
      ...toOptions(config, 'grpc'),
      ...authOptions(config.auth, context.extensions),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});

/** The `otlp_http` exporter (the Collector's deprecated name `otlphttp` too). */
export const otlpHttpExporterFactory = defineFactory({
  kind: 'exporter',
  type: 'otlp_http',
  aliases: ['otlphttp'],
  configSchema: httpConfigSchema,
  create: (config, context) =>
    createOtlpExporter({
      ...toOptions(config, 'http'),
      ...authOptions(config.auth, context.extensions),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});
