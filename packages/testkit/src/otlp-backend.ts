import { parseOptions } from '@otlp-kafka/core';
import type { Signal } from '@otlp-kafka/pdata';
import { z } from 'zod';
import type { CountReport, CountingSink, ExpectedIds } from './counting-sink.js';
import { BackendCore, type RecordedRequest } from './internal/backend-core.js';
import { BackendGrpc } from './internal/backend-grpc.js';
import { BackendHttp } from './internal/backend-http.js';
import { CountingSinkImpl } from './internal/counting-sink.js';

/**
 * How the backend answers:
 * - ok: accepts and counts (HTTP 200 / gRPC OK);
 * - partial: accepts all but the last `rejectedItems` items of each request (200 / OK with partial_success);
 * - unavailable: HTTP 503 / gRPC UNAVAILABLE (Retry-After only when retryAfterSeconds is given);
 * - throttle: HTTP 429 / gRPC RESOURCE_EXHAUSTED, with Retry-After / RetryInfo (default 1 s);
 * - reject: HTTP 400 / gRPC INVALID_ARGUMENT;
 * - down: cuts the HTTP connection without an answer / gRPC UNAVAILABLE. For a backend
 *   that really is gone (connection refused), use stop() and restart().
 */
export type BackendMode = 'ok' | 'partial' | 'unavailable' | 'throttle' | 'reject' | 'down';

export interface ModeOptions {
  /** Only the next `requests` requests get this mode, then 'ok' again. Default: until told otherwise. */
  requests?: number;
  /** The mode ends after this long, then 'ok' again. */
  forMs?: number;
  /** Retry-After (HTTP) / RetryInfo (gRPC) for unavailable and throttle. */
  retryAfterSeconds?: number;
  /** For 'partial': items rejected per request. Default 1. */
  rejectedItems?: number;
}

export interface OtlpBackendOptions {
  /** HTTP port; 0 picks a free one. Default 0. */
  port?: number;
  /** gRPC port; 0 picks a free one. Default 0. */
  grpcPort?: number;
  /** Interface to listen on. Default '127.0.0.1'. */
  host?: string;
  /** Serve OTLP/gRPC too. Default true. */
  grpc?: boolean;
  /** Wait this long before answering each request. Default 0. */
  latencyMs?: number;
  /** Retry-After of 'throttle' when setMode does not say. Default 1. */
  retryAfterSeconds?: number;
  /** Largest request body, after decompression. Default 64 MiB. */
  maxBodyBytes?: number;
  /**
   * Keep each accepted request's headers (gRPC: text metadata) with the ids of
   * its items, in `recorded`. Default false (a long load test would hold them all).
   */
  recordHeaders?: boolean;
  /** Serve HTTPS and gRPC over TLS with this certificate (PEM). Default: plaintext. */
  tls?: BackendTlsOptions;
}

/** The backend's server certificate and, for mutual TLS, the CA its clients' certificates must chain to. */
interface BackendTlsOptions {
  certPem: string | Buffer;
  keyPem: string | Buffer;
  /** CA(s) for client certificates. */
  caPem?: string | Buffer;
  /** Refuse a client without a certificate signed by caPem (mutual TLS). Default false. */
  requireClientCert?: boolean;
}

/** A local OTLP backend for tests: counts every item it accepts by id and answers as scripted. */
export interface OtlpBackend {
  /** Base URL of OTLP/HTTP, e.g. http://127.0.0.1:43181 (POST {url}/v1/traces); https:// with tls. */
  readonly url: string;
  /** host:port of OTLP/gRPC ('' when grpc is off). */
  readonly grpcAddress: string;
  /** Items accepted per signal (duplicates included) and requests seen. */
  readonly counts: Readonly<Record<Signal, number>> & { readonly requests: number; readonly items: number };
  /** Answers given, by transport and status, e.g. { 'http 200': 3, 'grpc 14': 1, 'http dropped': 2 }. */
  readonly statuses: Readonly<Record<string, number>>;
  /**
   * Items accepted in requests the client marked as retries (gRPC metadata
   * `grpc-previous-rpc-attempts`, sent by gRPC's retries and the otlp
   * exporter's), with how many times. A client retries what it got no answer
   * for, which the backend may have accepted already (an attempt that timed
   * out during `latencyMs`): each such retry may deliver its items once more.
   */
  readonly resent: ReadonlyMap<string, number>;
  /**
   * With recordHeaders: every accepted request in arrival order, with its
   * signal, transport, headers (lower-case names) and item ids. Empty otherwise.
   */
  readonly recorded: readonly RecordedRequest[];
  /** The counting sink behind it (report, waitForIds, count). */
  readonly sink: CountingSink;
  readonly mode: BackendMode;
  latencyMs: number;
  readonly running: boolean;
  setMode(mode: BackendMode, options?: ModeOptions): void;
  report(expected?: ExpectedIds): CountReport;
  /** Stops listening and cuts open connections; clients get connection refused. */
  stop(): Promise<void>;
  /** Listens again on the same ports; the counts carry on. */
  restart(): Promise<void>;
}

const port = z.number().int().min(0).max(65535);
const pem = z.union([z.string().min(1), z.instanceof(Buffer)]);

const schema = z
  .object({
    port: port.default(0),
    grpcPort: port.default(0),
    host: z.string().min(1).default('127.0.0.1'),
    grpc: z.boolean().default(true),
    latencyMs: z.number().int().nonnegative().default(0),
    retryAfterSeconds: z.number().int().nonnegative().default(1),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
    recordHeaders: z.boolean().default(false),
    tls: z
      .object({
        certPem: pem,
        keyPem: pem,
        caPem: pem.optional(),
        requireClientCert: z.boolean().default(false),
      })
      .strict()
      .refine((t) => !t.requireClientCert || t.caPem !== undefined, {
        message: 'requireClientCert needs caPem',
      })
      .optional(),
  })
  .strict();

export async function startOtlpBackend(options?: OtlpBackendOptions): Promise<OtlpBackend> {
  const o = parseOptions('startOtlpBackend', schema, options);
  const sink = new CountingSinkImpl({
    name: 'otlp-backend',
    delayMs: 0,
    behaviour: 'ok',
    shutdownTimeoutMs: 5000,
    keepBatches: false,
  });
  await sink.start();
  const core = new BackendCore(sink, o.latencyMs, o.retryAfterSeconds);
  core.recordHeaders = o.recordHeaders;
  const tls = o.tls
    ? {
        cert: Buffer.from(o.tls.certPem),
        key: Buffer.from(o.tls.keyPem),
        ...(o.tls.caPem !== undefined ? { ca: Buffer.from(o.tls.caPem) } : {}),
        requireClientCert: o.tls.requireClientCert,
      }
    : undefined;
  const http = new BackendHttp(core, o.maxBodyBytes, tls);
  const grpc = o.grpc ? new BackendGrpc(core, o.maxBodyBytes, tls) : undefined;
  let httpPort = await http.listen(o.host, o.port);
  let grpcPort = grpc
    ? await grpc.listen(o.host, o.grpcPort).catch(async (e: unknown) => {
        await http.close();
        throw e;
      })
    : 0;
  let running = true;
  const hostPart = o.host.includes(':') ? `[${o.host}]` : o.host;

  return {
    get url() {
      return `${tls ? 'https' : 'http'}://${hostPart}:${httpPort}`;
    },
    get grpcAddress() {
      return grpc ? `${hostPart}:${grpcPort}` : '';
    },
    get counts() {
      const bySignal = sink.bySignal;
      return {
        ...bySignal,
        requests: core.requests,
        items: bySignal.traces + bySignal.metrics + bySignal.logs,
      };
    },
    get statuses() {
      return { ...core.statuses };
    },
    resent: core.resent,
    recorded: core.recorded,
    sink,
    get mode() {
      return core.mode;
    },
    get latencyMs() {
      return core.latencyMs;
    },
    set latencyMs(ms: number) {
      core.latencyMs = ms;
    },
    get running() {
      return running;
    },
    setMode: (mode, modeOptions) => core.setMode(mode, modeOptions),
    report: (expected) => sink.report(expected),
    async stop() {
      if (!running) return;
      running = false;
      await Promise.all([http.close(), grpc?.close()]);
    },
    async restart() {
      if (running) return;
      httpPort = await http.listen(o.host, httpPort);
      if (grpc) grpcPort = await grpc.listen(o.host, grpcPort);
      running = true;
    },
  };
}
