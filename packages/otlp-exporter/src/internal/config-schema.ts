import { defined, duration, tlsClientConfig } from '@otlp-kafka/core';
import { z } from 'zod';
import type { OtlpExporterOptions, OtlpProtocol } from '../options.js';

// The Collector's otlp_grpc (otlp) and otlp_http (otlphttp) exporter configs. Strict:
// an unknown option is an error.

const retryOnFailure = z.strictObject({
  enabled: z.boolean().optional(),
  initial_interval: duration.optional(),
  max_interval: duration.optional(),
  max_elapsed_time: duration.optional(),
  multiplier: z.number().min(1).optional(),
  randomization_factor: z.number().min(0).max(1).optional(),
});

const sendingQueue = z.strictObject({
  enabled: z.boolean().optional(),
  num_consumers: z.number().int().positive().optional(),
  queue_size: z.number().int().positive().optional(),
});

const common = {
  endpoint: z.string().min(1).optional(),
  tls: tlsClientConfig.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  // otlp-kafka: request header name -> batch metadata key (the headers_setter extension's from_context, inline).
  headers_from_metadata: z.record(z.string().min(1), z.string().min(1)).optional(),
  // The Collector's client authenticator: an extension id (bearertokenauth) from the extensions section.
  auth: z.strictObject({ authenticator: z.string().min(1) }).optional(),
  compression: z.enum(['gzip', 'none', '']).optional(),
  timeout: duration.optional(),
  retry_on_failure: retryOnFailure.optional(),
  sending_queue: sendingQueue.optional(),
};

export const grpcConfigSchema = z.strictObject({ ...common });

export const httpConfigSchema = z.strictObject({
  ...common,
  traces_endpoint: z.string().optional(),
  metrics_endpoint: z.string().optional(),
  logs_endpoint: z.string().optional(),
  encoding: z.enum(['proto', 'json']).optional(),
});

export type OtlpGrpcConfig = z.output<typeof grpcConfigSchema>;
export type OtlpHttpConfig = z.output<typeof httpConfigSchema>;

/** Config -> options; unset keys stay unset so the exporter's defaults apply. */
export function toOptions(c: OtlpGrpcConfig | OtlpHttpConfig, protocol: OtlpProtocol): OtlpExporterOptions {
  const h: Partial<OtlpHttpConfig> = protocol === 'http' ? c : {};
  const t = c.tls;
  const r = c.retry_on_failure;
  const q = c.sending_queue;
  return defined({
    protocol,
    endpoint: c.endpoint,
    tracesEndpoint: h.traces_endpoint,
    metricsEndpoint: h.metrics_endpoint,
    logsEndpoint: h.logs_endpoint,
    encoding: h.encoding,
    headers: c.headers,
    headersFromMetadata: c.headers_from_metadata,
    // The Collector treats an empty compression as none.
    compression: c.compression === '' ? 'none' : c.compression,
    timeoutMs: c.timeout,
    tls: t
      ? defined({
          insecure: t.insecure,
          insecureSkipVerify: t.insecure_skip_verify,
          caFile: t.ca_file,
          certFile: t.cert_file,
          keyFile: t.key_file,
          caPem: t.ca_pem,
          certPem: t.cert_pem,
          keyPem: t.key_pem,
          serverName: t.server_name_override,
        })
      : undefined,
    retryOnFailure: r
      ? defined({
          enabled: r.enabled,
          initialIntervalMs: r.initial_interval,
          maxIntervalMs: r.max_interval,
          maxElapsedMs: r.max_elapsed_time,
          multiplier: r.multiplier,
          randomizationFactor: r.randomization_factor,
        })
      : undefined,
    sendingQueue: q
      ? defined({ enabled: q.enabled, numConsumers: q.num_consumers, queueSize: q.queue_size })
      : undefined,
  });
}

type Extensions = ReadonlyMap<string, { readonly type: string; readonly config: unknown }> | undefined;

/** The bearertokenauth extension's client settings, as the Collector names them. */
const bearerTokenAuthConfig = z.looseObject({
  token: z.string().min(1).optional(),
  filename: z.string().min(1).optional(),
  scheme: z.string().optional(),
  header: z.string().min(1).optional(),
});

/**
 * `auth.authenticator` -> the bearerToken option, from the named extension's config.
 * Throws (ERR_INVALID_OPTIONS via the config layer) when the extension is missing or of another type.
 */
export function authOptions(
  auth: OtlpGrpcConfig['auth'],
  extensions: Extensions,
): Pick<OtlpExporterOptions, 'bearerToken'> {
  if (!auth) return {};
  const id = auth.authenticator;
  const ext = extensions?.get(id);
  if (!ext)
    throw new Error(
      `auth.authenticator: "${id}" is not defined in extensions (defined: ${[...(extensions?.keys() ?? [])].join(', ') || 'none'})`,
    );
  if (ext.type !== 'bearertokenauth')
    throw new Error(
      `auth.authenticator: "${id}" is a ${ext.type} extension; the otlp exporter supports bearertokenauth`,
    );
  const c = bearerTokenAuthConfig.safeParse(ext.config);
  if (!c.success || (c.data.token === undefined) === (c.data.filename === undefined))
    throw new Error(
      `auth.authenticator: "${id}" needs exactly one of token and filename to authenticate a client`,
    );
  return {
    bearerToken: defined({
      token: c.data.token,
      file: c.data.filename,
      scheme: c.data.scheme,
      header: c.data.header,
    }),
  };
}
