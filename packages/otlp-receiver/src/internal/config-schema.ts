import { byteSize, defined, duration, PipelineError, section, tlsServerConfig } from '@otlp-kafka/core';
import { z } from 'zod';
import type { Authenticate, OtlpReceiverOptions, TlsOptions } from '../options.js';

/** The Collector's `auth`: the id of an authenticator extension (bearertokenauth, basicauth). */
const auth = z.strictObject({ authenticator: z.string().min(1) });

/** The Collector's otlp receiver config. Strict: an unknown option is an error. */
export const configSchema = z.strictObject({
  protocols: z.strictObject({
    grpc: section(
      z.strictObject({
        endpoint: z.string().optional(),
        max_recv_msg_size_mib: z.number().positive().optional(),
        include_metadata: z.boolean().optional(),
        tls: tlsServerConfig.optional(),
        auth: auth.optional(),
        keepalive: z
          .strictObject({
            server_parameters: z
              .strictObject({
                time: duration.optional(),
                timeout: duration.optional(),
                max_connection_idle: duration.optional(),
                max_connection_age: duration.optional(),
                max_connection_age_grace: duration.optional(),
              })
              .optional(),
          })
          .optional(),
        // Not a Collector option (it has no connection limit): otlp-kafka's own, in its naming style.
        max_connections: z.number().int().nonnegative().optional(),
        // Not a Collector option either (gRPC-Go's ConnectionTimeout, 120 s, is not exposed there).
        preface_timeout: duration.optional(),
      }),
    ).optional(),
    http: section(
      z.strictObject({
        endpoint: z.string().optional(),
        max_request_body_size: byteSize.optional(),
        include_metadata: z.boolean().optional(),
        tls: tlsServerConfig.optional(),
        auth: auth.optional(),
        cors: z
          .strictObject({
            allowed_origins: z.array(z.string()).optional(),
            allowed_headers: z.array(z.string()).optional(),
            max_age: z.number().int().nonnegative().optional(),
          })
          .optional(),
        traces_url_path: z.string().startsWith('/').optional(),
        metrics_url_path: z.string().startsWith('/').optional(),
        logs_url_path: z.string().startsWith('/').optional(),
        idle_timeout: duration.optional(),
        read_header_timeout: duration.optional(),
        // Not a Collector option (it has no connection limit): otlp-kafka's own, in its naming style.
        max_connections: z.number().int().nonnegative().optional(),
      }),
    ).optional(),
  }),
});

export type OtlpReceiverConfig = z.output<typeof configSchema>;

const tlsOf = (t: z.output<typeof tlsServerConfig> | undefined): TlsOptions | undefined =>
  t
    ? defined({ certFile: t.cert_file, keyFile: t.key_file, clientCaFile: t.client_ca_file ?? t.ca_file })
    : undefined;

/** Builds the authenticator an `auth.authenticator` id names; `where` is the option's path, for errors. */
export type ResolveAuthenticator = (id: string, where: string) => Authenticate;

/**
 * Config -> options. A protocol left out of `protocols:` is off, as in the
 * Collector. `auth.authenticator` needs `resolveAuth` (the factory's, from the
 * config's extensions); one id used by both protocols is resolved once.
 */
export function toOptions(c: OtlpReceiverConfig, resolveAuth?: ResolveAuthenticator): OtlpReceiverOptions {
  const g = c.protocols.grpc;
  const h = c.protocols.http;
  const resolved = new Map<string, Authenticate>();
  const authOf = (id: string | undefined, where: string): Authenticate | undefined => {
    if (id === undefined) return undefined;
    if (!resolveAuth)
      throw new PipelineError('ERR_INVALID_OPTIONS', `${where}: authenticators need the config's extensions`);
    if (!resolved.has(id)) resolved.set(id, resolveAuth(id, where));
    return resolved.get(id);
  };
  const k = g?.keepalive?.server_parameters;
  return defined({
    grpc: g
      ? defined({
          endpoint: g.endpoint,
          maxRecvMsgSizeMib: g.max_recv_msg_size_mib,
          includeMetadata: g.include_metadata,
          tls: tlsOf(g.tls),
          authenticate: authOf(g.auth?.authenticator, 'protocols.grpc.auth.authenticator'),
          keepalive: k
            ? {
                serverParameters: defined({
                  timeMs: k.time,
                  timeoutMs: k.timeout,
                  maxConnectionIdleMs: k.max_connection_idle,
                  maxConnectionAgeMs: k.max_connection_age,
                  maxConnectionAgeGraceMs: k.max_connection_age_grace,
                }),
              }
            : undefined,
          maxConnections: g.max_connections,
          prefaceTimeoutMs: g.preface_timeout,
        })
      : (false as const),
    http: h
      ? defined({
          endpoint: h.endpoint,
          maxRequestBodyBytes: h.max_request_body_size,
          includeMetadata: h.include_metadata,
          tls: tlsOf(h.tls),
          authenticate: authOf(h.auth?.authenticator, 'protocols.http.auth.authenticator'),
          cors: h.cors
            ? defined({
                allowedOrigins: h.cors.allowed_origins,
                allowedHeaders: h.cors.allowed_headers,
                maxAgeSec: h.cors.max_age,
              })
            : undefined,
          tracesUrlPath: h.traces_url_path,
          metricsUrlPath: h.metrics_url_path,
          logsUrlPath: h.logs_url_path,
          idleTimeoutMs: h.idle_timeout,
          readHeaderTimeoutMs: h.read_header_timeout,
          maxConnections: h.max_connections,
        })
      : (false as const),
  });
}
