import { z } from 'zod';
import type { AuthenticateFn, ServerAuthenticator } from '@otlp-kafka/auth-extensions';
import type { Assert, DefaultsOf, SchemaMatches, TelemetryOptions } from '@otlp-kafka/core';

/**
 * Who may send: a function of the request headers answering `{ ok: true }` or
 * `{ ok: false, reason }`, or an authenticator with a lifecycle (started before
 * the listeners, shut down after them), such as @otlp-kafka/auth-extensions'
 * bearer token and basic authenticators. A refused request gets HTTP 401 with
 * `WWW-Authenticate` or gRPC UNAUTHENTICATED, and nothing reaches the pipeline.
 */
export type Authenticate = AuthenticateFn | ServerAuthenticator;

/** PEM files for a TLS server; with `clientCaFile`, clients must present a certificate signed by it. */
export interface TlsOptions {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
}

/** gRPC server keepalive, as the Collector's keepalive.server_parameters. */
export interface KeepaliveOptions {
  serverParameters?: {
    /** GOAWAY to a connection without streams for this long (a client reconnects at its next call). Default 60000. */
    maxConnectionIdleMs?: number;
    /** Close a connection after this long (GOAWAY). Default: never. */
    maxConnectionAgeMs?: number;
    /** Time given to in-flight calls after maxConnectionAgeMs. Default: unlimited. */
    maxConnectionAgeGraceMs?: number;
    /** Ping an idle client after this long. Default: 2 hours (grpc-js). */
    timeMs?: number;
    /** Close the connection when a ping is not answered within this. Default: 20 s (grpc-js). */
    timeoutMs?: number;
  };
}

export interface GrpcOptions {
  /** host:port to listen on. Default 0.0.0.0:4317. */
  endpoint?: string;
  /** Largest request message, after decompression. Default 4. */
  maxRecvMsgSizeMib?: number;
  tls?: TlsOptions;
  keepalive?: KeepaliveOptions;
  /** Copy request metadata into each batch's metadata.headers. Default false. */
  includeMetadata?: boolean;
  /** Authenticates every call from its metadata (overrides the receiver's `authenticate`). Default: none, anyone may send. */
  authenticate?: Authenticate;
  /**
   * Most TCP connections open at once; a connection beyond it is closed right
   * after accept (counted in otelcol_receiver_refused_connections). 0: unlimited. Default 4096.
   */
  maxConnections?: number;
  /**
   * Close a connection that has not sent the HTTP/2 client preface (with the
   * header of its SETTINGS frame) this long after accept; with TLS, that has
   * sent nothing. Without it a silent connection lasts until grpc-js's
   * max_connection_idle (never, at the Collector's default), and with TLS until
   * Node's 120 s handshake timeout. Default 10000.
   */
  prefaceTimeoutMs?: number;
}

export interface CorsOptions {
  /** Origins allowed to send; `*` wildcards allowed (`https://*.example.com`, or `*` for any). Default none. */
  allowedOrigins?: string[];
  /** Request headers allowed besides the defaults (Accept, Content-Type, Content-Encoding, X-Requested-With). */
  allowedHeaders?: string[];
  /** How long a browser may cache a preflight answer. Default: not sent. */
  maxAgeSec?: number;
}

export interface HttpOptions {
  /** host:port to listen on. Default 0.0.0.0:4318. */
  endpoint?: string;
  /** Largest request body, compressed and decompressed. Default 20 MiB. */
  maxRequestBodyBytes?: number;
  tls?: TlsOptions;
  cors?: CorsOptions;
  /** Copy request headers into each batch's metadata.headers. Default false. */
  includeMetadata?: boolean;
  /** Authenticates every request from its headers (overrides the receiver's `authenticate`); CORS preflights pass. Default: none. */
  authenticate?: Authenticate;
  /** Default /v1/traces. */
  tracesUrlPath?: string;
  /** Default /v1/metrics. */
  metricsUrlPath?: string;
  /** Default /v1/logs. */
  logsUrlPath?: string;
  /** Close a keep-alive connection idle this long between requests (the Collector's idle_timeout). Default 60000. */
  idleTimeoutMs?: number;
  /**
   * Longest wait for a request's headers, counted from the connection's start
   * for its first request (a connection that sends nothing is closed after it),
   * and from the previous answer after that (the Collector's read_header_timeout). Default 60000.
   */
  readHeaderTimeoutMs?: number;
  /**
   * Most TCP connections open at once; a connection beyond it gets `503` with
   * `Connection: close` at once (with TLS: is closed right after accept).
   * 0: unlimited. Default 4096.
   */
  maxConnections?: number;
}

/**
 * With neither `grpc` nor `http` given, both run with their defaults. Once one
 * is given as an object, the other runs only if it is given too (as the
 * Collector's `protocols:`). `false` turns a protocol off: `{ grpc: false }`
 * runs OTLP/HTTP alone with its defaults.
 */
export interface OtlpReceiverOptions extends TelemetryOptions {
  grpc?: GrpcOptions | false;
  http?: HttpOptions | false;
  /** Authenticates requests on both protocols (each protocol's own `authenticate` wins). Default: none. */
  authenticate?: Authenticate;
  /** The `receiver` attribute of the metrics. Default "otlp". */
  name?: string;
  /** Bound on waiting for in-flight requests at shutdown. Default 10000. */
  shutdownTimeoutMs?: number;
}

export const DEFAULTS = {
  grpc: {
    endpoint: '0.0.0.0:4317',
    maxRecvMsgSizeMib: 4,
    includeMetadata: false,
    // The Collector's default is never; a session that opens no stream would then be held for good.
    keepalive: { serverParameters: { maxConnectionIdleMs: 60_000 } },
    // The Collector has no such limit (nor does gRPC-Go's server).
    maxConnections: 4096,
    // gRPC-Go, so the Collector, waits 120 s (its ConnectionTimeout, which the Collector does not expose).
    prefaceTimeoutMs: 10_000,
  },
  http: {
    endpoint: '0.0.0.0:4318',
    maxRequestBodyBytes: 20 * 1024 * 1024,
    includeMetadata: false,
    tracesUrlPath: '/v1/traces',
    metricsUrlPath: '/v1/metrics',
    logsUrlPath: '/v1/logs',
    idleTimeoutMs: 60_000,
    readHeaderTimeoutMs: 60_000,
    // The Collector has no such limit.
    maxConnections: 4096,
  },
  name: 'otlp',
  shutdownTimeoutMs: 10_000,
} as const satisfies DefaultsOf<OtlpReceiverOptions>;

const endpoint = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]*):\d{1,5}$/, 'must be host:port');
const ms = z.number().int().positive();
const authenticate = z.custom<Authenticate>(
  (v) =>
    typeof v === 'function' ||
    (typeof v === 'object' &&
      v !== null &&
      typeof (v as { authenticate?: unknown }).authenticate === 'function'),
  { message: 'must be a function of the request headers or an object with authenticate()' },
);
const maxConnections = z.number().int().nonnegative('must be 0 (unlimited) or more');

const tls = z
  .object({
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    clientCaFile: z.string().min(1).optional(),
  })
  .strict();

const grpcSchema = z
  .object({
    endpoint: endpoint.default(DEFAULTS.grpc.endpoint),
    maxRecvMsgSizeMib: z.number().positive().default(DEFAULTS.grpc.maxRecvMsgSizeMib),
    tls: tls.optional(),
    keepalive: z
      .object({
        serverParameters: z
          .object({
            maxConnectionIdleMs: ms.optional(),
            maxConnectionAgeMs: ms.optional(),
            maxConnectionAgeGraceMs: ms.optional(),
            timeMs: ms.optional(),
            timeoutMs: ms.optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    includeMetadata: z.boolean().default(DEFAULTS.grpc.includeMetadata),
    authenticate: authenticate.optional(),
    maxConnections: maxConnections.default(DEFAULTS.grpc.maxConnections),
    prefaceTimeoutMs: ms.default(DEFAULTS.grpc.prefaceTimeoutMs),
  })
  .strict();

const urlPath = z.string().startsWith('/', 'must start with /');

const httpSchema = z
  .object({
    endpoint: endpoint.default(DEFAULTS.http.endpoint),
    maxRequestBodyBytes: z.number().int().positive().default(DEFAULTS.http.maxRequestBodyBytes),
    tls: tls.optional(),
    cors: z
      .object({
        allowedOrigins: z.array(z.string().min(1)).default([]),
        allowedHeaders: z.array(z.string().min(1)).default([]),
        maxAgeSec: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    includeMetadata: z.boolean().default(DEFAULTS.http.includeMetadata),
    authenticate: authenticate.optional(),
    tracesUrlPath: urlPath.default(DEFAULTS.http.tracesUrlPath),
    metricsUrlPath: urlPath.default(DEFAULTS.http.metricsUrlPath),
    logsUrlPath: urlPath.default(DEFAULTS.http.logsUrlPath),
    idleTimeoutMs: ms.default(DEFAULTS.http.idleTimeoutMs),
    // Node refuses a headers timeout above its request timeout (300 s, kept).
    readHeaderTimeoutMs: ms.max(300_000).default(DEFAULTS.http.readHeaderTimeoutMs),
    maxConnections: maxConnections.default(DEFAULTS.http.maxConnections),
  })
  .strict()
  .superRefine((h, ctx) => {
    const paths = [h.tracesUrlPath, h.metricsUrlPath, h.logsUrlPath];
    if (new Set(paths).size !== paths.length)
      ctx.addIssue({ code: 'custom', message: 'the three url paths must differ' });
  });

// `false` is taken out before validation so a bad protocol object is reported
// by its own path (grpc.endpoint ...) rather than as a failed union.
function markDisabled(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const o: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of ['grpc', 'http'] as const) {
    if (o[key] === false) {
      delete o[key];
      o[`${key}Disabled`] = true;
    }
  }
  return o;
}

const objectSchema = z
  .object({
    grpc: grpcSchema.optional(),
    http: httpSchema.optional(),
    grpcDisabled: z.literal(true).optional(),
    httpDisabled: z.literal(true).optional(),
    authenticate: authenticate.optional(),
    name: z.string().min(1).default(DEFAULTS.name),
    shutdownTimeoutMs: ms.default(DEFAULTS.shutdownTimeoutMs),
    meterProvider: z.any().optional(),
    logger: z.any().optional(),
  })
  .strict();

/**
 * Compile-time: the schema accepts exactly the options of the interface (`false`
 * for a protocol is turned into the *Disabled flags before validation). @typecheck
 */
export type OptionsCheck = Assert<
  SchemaMatches<
    Omit<z.input<typeof objectSchema>, 'grpcDisabled' | 'httpDisabled'>,
    { [K in keyof OtlpReceiverOptions]: Exclude<OtlpReceiverOptions[K], false> }
  >
>;

export const optionsSchema = z.preprocess(
  markDisabled,
  objectSchema.transform(({ grpcDisabled, httpDisabled, authenticate, ...o }, ctx) => {
    // A protocol runs when configured, or when left out while the other one is not configured either.
    const grpc = grpcDisabled
      ? undefined
      : (o.grpc ?? (o.http === undefined ? grpcSchema.parse({}) : undefined));
    const http = httpDisabled
      ? undefined
      : (o.http ?? (o.grpc === undefined ? httpSchema.parse({}) : undefined));
    if (!grpc && !http)
      ctx.addIssue({ code: 'custom', message: 'at least one of grpc and http must be enabled' });
    // The receiver-wide authenticator, for each protocol without its own.
    const withAuth = <P extends { authenticate?: Authenticate | undefined }>(p: P | undefined) =>
      p && authenticate !== undefined && p.authenticate === undefined ? { ...p, authenticate } : p;
    return { ...o, grpc: withAuth(grpc), http: withAuth(http) };
  }),
);

export type ParsedOptions = z.output<typeof optionsSchema>;
export type ParsedGrpcOptions = z.output<typeof grpcSchema>;
export type ParsedHttpOptions = z.output<typeof httpSchema>;
