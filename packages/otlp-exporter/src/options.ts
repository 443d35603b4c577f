import {
  parseOptions,
  type Assert,
  type DefaultsOf,
  type SchemaMatches,
  type TelemetryOptions,
} from '@otlp-kafka/core';
import { z } from 'zod';

export type OtlpProtocol = 'http' | 'grpc';
export type OtlpEncoding = 'proto' | 'json';
export type OtlpCompression = 'gzip' | 'none';

/** Client TLS, as the Collector's `tls` block (`ca_file`, `cert_file`, ...). */
export interface OtlpTlsOptions {
  /** gRPC only: plaintext HTTP/2 when true (an OTLP/HTTP endpoint's scheme decides instead). Default false. */
  insecure?: boolean;
  /** Accept any server certificate (testing only). Default false. */
  insecureSkipVerify?: boolean;
  /** PEM file of the CA(s) that signed the server certificate; default: the system roots. */
  caFile?: string;
  /** PEM file of the client certificate, for mutual TLS (with keyFile). */
  certFile?: string;
  /** PEM file of the client key, for mutual TLS (with certFile). */
  keyFile?: string;
  /** The same, inline. */
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  /** Name checked against the server certificate (and gRPC authority) instead of the endpoint's host. */
  serverName?: string;
}

/** A token inline or in a file (read again when it changes), sent as `<header>: <scheme> <token>`. */
export interface BearerTokenOptions {
  token?: string;
  /** File holding the token (surrounding whitespace trimmed); checked for changes at most once a second. */
  file?: string;
  /** Default 'Bearer'; '' sends the token alone. */
  scheme?: string;
  /** Default 'Authorization'. */
  header?: string;
}

/** The Collector's `retry_on_failure`: exponential backoff per batch. */
export interface RetryOnFailureOptions {
  /** Default true. Off: one attempt, failures are returned as they are. */
  enabled?: boolean;
  /** First backoff. Default 5000. */
  initialIntervalMs?: number;
  /** Largest backoff before randomization. Default 30000. */
  maxIntervalMs?: number;
  /** Time spent on one batch before giving up with a retryable outcome; 0 = never give up. Default 300000. */
  maxElapsedMs?: number;
  /** Growth of the backoff per attempt. Default 1.5. */
  multiplier?: number;
  /** Each backoff is drawn from interval * [1 - f, 1 + f]. Default 0.5. */
  randomizationFactor?: number;
}

/** The Collector's `sending_queue`: bounded concurrency and a bounded number of waiting batches. */
export interface SendingQueueOptions {
  /** Default true. Off: every consume() sends at once, with the caller's concurrency. */
  enabled?: boolean;
  /** Batches sent (and retried) at the same time. Default 10. */
  numConsumers?: number;
  /** Batches waiting for a consumer; one more is refused with backpressure. Default 1000. */
  queueSize?: number;
  /** Bytes held by waiting and sending batches; over it is backpressure. Default 256 MiB. */
  queueSizeBytes?: number;
}

export interface OtlpExporterOptions extends TelemetryOptions {
  /** Name in metrics and logs (the Collector's `otlp` / `otlphttp/backend`). Default `otlp` (grpc) or `otlphttp` (http). */
  name?: string;
  /** Default 'http'. */
  protocol?: OtlpProtocol;
  /**
   * http: base URL, `/v1/traces` etc. appended (default http://localhost:4318).
   * grpc: `host:port` or `http(s)://host:port` (default localhost:4317).
   */
  endpoint?: string;
  /** http: full URLs per signal, used as they are (override `endpoint`). */
  tracesEndpoint?: string;
  metricsEndpoint?: string;
  logsEndpoint?: string;
  /** http: body encoding. Default 'proto'. */
  encoding?: OtlpEncoding;
  /** Extra request headers (gRPC: metadata). */
  headers?: Record<string, string>;
  /**
   * Request headers taken from each batch's metadata (the Collector headers_setter's
   * `from_context`): header name -> metadata header key (case-insensitive), e.g.
   * `{ 'X-Scope-OrgID': 'x-tenant' }`. The first value is sent, over a static header of
   * the same name; a batch without the key sends the static header (if any). Default {}.
   */
  headersFromMetadata?: Record<string, string>;
  /** Sends a bearer token with every request (the Collector's bearertokenauth as a client authenticator). Default: none. */
  bearerToken?: BearerTokenOptions;
  /** Default 'gzip', as the Collector. */
  compression?: OtlpCompression;
  /** Per attempt. Default 5000, as the Collector. */
  timeoutMs?: number;
  tls?: OtlpTlsOptions;
  retryOnFailure?: RetryOnFailureOptions;
  sendingQueue?: SendingQueueOptions;
  /** Bound on waiting for queued and in-flight sends at shutdown. Default 30000. */
  shutdownTimeoutMs?: number;
  /** Largest response body read (partial_success, error status). Default 1 MiB. */
  maxResponseBytes?: number;
}

export const DEFAULTS = {
  protocol: 'http',
  encoding: 'proto',
  headers: {},
  headersFromMetadata: {},
  bearerToken: { scheme: 'Bearer', header: 'Authorization' },
  compression: 'gzip',
  timeoutMs: 5_000,
  tls: {
    insecure: false,
    insecureSkipVerify: false,
  },
  retryOnFailure: {
    enabled: true,
    initialIntervalMs: 5_000,
    maxIntervalMs: 30_000,
    maxElapsedMs: 300_000,
    multiplier: 1.5,
    randomizationFactor: 0.5,
  },
  sendingQueue: {
    enabled: true,
    numConsumers: 10,
    queueSize: 1_000,
    queueSizeBytes: 256 * 1024 * 1024,
  },
  shutdownTimeoutMs: 30_000,
  maxResponseBytes: 1024 * 1024,
} as const satisfies DefaultsOf<OtlpExporterOptions>;

export const DEFAULT_HTTP_ENDPOINT = 'http://localhost:4318';
export const DEFAULT_GRPC_ENDPOINT = 'localhost:4317';

const url = z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), {
  message: 'must be an http:// or https:// URL',
});
const ms = z.number().int().nonnegative();

const schema = z.strictObject({
  meterProvider: z.custom<NonNullable<TelemetryOptions['meterProvider']>>().optional(),
  logger: z.custom<NonNullable<TelemetryOptions['logger']>>().optional(),
  name: z.string().min(1).optional(),
  protocol: z.enum(['http', 'grpc']).default(DEFAULTS.protocol),
  endpoint: z.string().min(1).optional(),
  tracesEndpoint: url.optional(),
  metricsEndpoint: url.optional(),
  logsEndpoint: url.optional(),
  encoding: z.enum(['proto', 'json']).default(DEFAULTS.encoding),
  headers: z.record(z.string().min(1), z.string()).default(DEFAULTS.headers),
  headersFromMetadata: z
    .record(
      z
        .string()
        .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name')
        .refine((k) => !k.toLowerCase().endsWith('-bin'), 'a text header (not -bin)'),
      z.string().min(1),
    )
    .default(DEFAULTS.headersFromMetadata),
  bearerToken: z
    .strictObject({
      token: z.string().min(1).optional(),
      file: z.string().min(1).optional(),
      scheme: z.string().default(DEFAULTS.bearerToken.scheme),
      header: z.string().min(1).default(DEFAULTS.bearerToken.header),
    })
    .refine((b) => (b.token === undefined) !== (b.file === undefined), {
      message: 'needs exactly one of token and file',
    })
    .optional(),
  compression: z.enum(['gzip', 'none']).default(DEFAULTS.compression),
  timeoutMs: z.number().int().positive().default(DEFAULTS.timeoutMs),
  tls: z
    .strictObject({
      insecure: z.boolean().default(DEFAULTS.tls.insecure),
      insecureSkipVerify: z.boolean().default(DEFAULTS.tls.insecureSkipVerify),
      caFile: z.string().min(1).optional(),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      caPem: z.string().min(1).optional(),
      certPem: z.string().min(1).optional(),
      keyPem: z.string().min(1).optional(),
      serverName: z.string().min(1).optional(),
    })
    .refine((t) => !!(t.certFile ?? t.certPem) === !!(t.keyFile ?? t.keyPem), {
      message: 'a client certificate needs its key and a key its certificate',
    })
    .default({ ...DEFAULTS.tls }),
  retryOnFailure: z
    .strictObject({
      enabled: z.boolean().default(DEFAULTS.retryOnFailure.enabled),
      initialIntervalMs: z.number().int().positive().default(DEFAULTS.retryOnFailure.initialIntervalMs),
      maxIntervalMs: z.number().int().positive().default(DEFAULTS.retryOnFailure.maxIntervalMs),
      maxElapsedMs: ms.default(DEFAULTS.retryOnFailure.maxElapsedMs),
      multiplier: z.number().min(1).default(DEFAULTS.retryOnFailure.multiplier),
      randomizationFactor: z.number().min(0).max(1).default(DEFAULTS.retryOnFailure.randomizationFactor),
    })
    .refine((r) => r.maxIntervalMs >= r.initialIntervalMs, {
      message: 'maxIntervalMs must be at least initialIntervalMs',
    })
    .default({ ...DEFAULTS.retryOnFailure }),
  sendingQueue: z
    .strictObject({
      enabled: z.boolean().default(DEFAULTS.sendingQueue.enabled),
      numConsumers: z.number().int().positive().default(DEFAULTS.sendingQueue.numConsumers),
      queueSize: z.number().int().positive().default(DEFAULTS.sendingQueue.queueSize),
      queueSizeBytes: z.number().int().positive().default(DEFAULTS.sendingQueue.queueSizeBytes),
    })
    .default({ ...DEFAULTS.sendingQueue }),
  shutdownTimeoutMs: ms.default(DEFAULTS.shutdownTimeoutMs),
  maxResponseBytes: z.number().int().positive().default(DEFAULTS.maxResponseBytes),
});

/** Compile-time: the schema accepts exactly the options of the interface. @typecheck */
export type OptionsCheck = Assert<SchemaMatches<z.input<typeof schema>, OtlpExporterOptions>>;

export type ResolvedOptions = z.output<typeof schema> & { name: string; endpoint: string };

/** Validates and fills in defaults; throws ERR_INVALID_OPTIONS naming the bad option. */
export function resolveOptions(input: OtlpExporterOptions | undefined): ResolvedOptions {
  const o = parseOptions('otlp-exporter', schema, input);
  const grpc = o.protocol === 'grpc';
  const endpoint = o.endpoint ?? (grpc ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT);
  if (!grpc) parseOptions('otlp-exporter', z.object({ endpoint: url }), { endpoint });
  return { ...o, endpoint, name: o.name ?? (grpc ? 'otlp' : 'otlphttp') };
}
