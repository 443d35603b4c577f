import { Client, credentials, Metadata, status, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { PipelineError } from '@otlp-kafka/core';
import { decodeExportResponse, decodeGrpcRetryDelayMs, type Signal } from '@otlp-kafka/pdata';
import type { ResolvedOptions } from '../options.js';
import { attemptSignal, describeError } from './attempt.js';
import type { TlsMaterial } from './tls.js';
import type { AttemptResult, Prepared, Transport } from './transport.js';

export const GRPC_METHODS: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

/** The OTLP spec's retryable codes; RESOURCE_EXHAUSTED only when the server sent RetryInfo. */
const RETRYABLE_CODES = new Set<number>([
  status.CANCELLED,
  status.DEADLINE_EXCEEDED,
  status.ABORTED,
  status.OUT_OF_RANGE,
  status.UNAVAILABLE,
  status.DATA_LOSS,
]);

const GZIP = 2; // grpc-js CompressionAlgorithms.gzip

/** Metadata of a retried call (gRPC retry design A6): how many attempts went before it. */
const PREVIOUS_ATTEMPTS = 'grpc-previous-rpc-attempts';

/** Target and whether it is plaintext: http:// means plaintext, https:// TLS, no scheme: tls.insecure decides. */
export function grpcTarget(endpoint: string, insecure: boolean): { target: string; plaintext: boolean } {
  const m = /^(https?):\/\/([^/]+)\/?$/.exec(endpoint);
  if (m) return { target: m[2]!, plaintext: m[1] === 'http' };
  return { target: endpoint, plaintext: insecure };
}

const serialize = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const deserialize = (b: Buffer): Buffer => b;

/** OTLP/gRPC with @grpc/grpc-js: unary Export calls with raw Buffer (de)serializers, no generated stubs. */
export class GrpcTransport implements Transport {
  private readonly client: Client;
  private readonly metadata: Metadata;

  constructor(
    private readonly options: ResolvedOptions,
    tls: TlsMaterial,
  ) {
    const { target, plaintext } = grpcTarget(options.endpoint, options.tls.insecure);
    const creds = plaintext
      ? credentials.createInsecure()
      : credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, {
          rejectUnauthorized: tls.rejectUnauthorized,
          ...(tls.rejectUnauthorized ? {} : { checkServerIdentity: () => undefined }),
        });
    const channel: ChannelOptions = {
      'grpc.default_compression_algorithm': options.compression === 'gzip' ? GZIP : 0,
      'grpc.primary_user_agent': 'otlp-kafka-otlp-exporter/0.1.0',
    };
    if (tls.serverName) {
      channel['grpc.ssl_target_name_override'] = tls.serverName;
      channel['grpc.default_authority'] = tls.serverName;
    }
    this.client = new Client(target, creds, channel);
    this.metadata = new Metadata();
    // Binary metadata (`-bin` keys) is configured base64-encoded, as gRPC carries it.
    for (const [k, v] of Object.entries(options.headers)) {
      const key = k.toLowerCase();
      this.metadata.set(key, key.endsWith('-bin') ? Buffer.from(v, 'base64') : v);
    }
  }

  prepare(signal: Signal, bytes: Uint8Array): Promise<Prepared> {
    // gRPC compresses per message itself (grpc.default_compression_algorithm).
    return Promise.resolve({ signal, body: bytes });
  }

  send(prepared: Prepared, shutdown: AbortSignal, previousAttempts = 0): Promise<AttemptResult> {
    const attempt = attemptSignal(this.options.timeoutMs, shutdown);
    const metadata = this.metadata.clone();
    for (const [k, v] of Object.entries(prepared.headers ?? {})) metadata.set(k, v);
    // What gRPC's own retries send: the backend can tell a retry (maybe of data it already accepted) from a first attempt.
    if (previousAttempts > 0) metadata.set(PREVIOUS_ATTEMPTS, String(previousAttempts));
    const what = `${GRPC_METHODS[prepared.signal]} on ${this.options.endpoint}`;
    return new Promise<AttemptResult>((resolve) => {
      const call = this.client.makeUnaryRequest(
        GRPC_METHODS[prepared.signal],
        serialize,
        deserialize,
        prepared.body,
        metadata,
        // The attempt signal is the deadline; grpc's own is a backstop past it.
        { deadline: Date.now() + this.options.timeoutMs + 1_000 },
        (err, value) => {
          attempt.dispose();
          attempt.signal.removeEventListener('abort', cancel);
          if (err)
            resolve(
              classify(
                err,
                attempt.timedOut || attempt.shutdown ? describeError(err, attempt, what) : undefined,
                what,
              ),
            );
          else resolve(this.success(prepared.signal, value));
        },
      );
      const cancel = (): void => call.cancel();
      if (attempt.signal.aborted) cancel();
      else attempt.signal.addEventListener('abort', cancel, { once: true });
    });
  }

  private success(signal: Signal, body: Buffer | undefined): AttemptResult {
    if (!body || body.length === 0) return { kind: 'ok', rejectedItems: 0, message: '' };
    const r = decodeExportResponse(signal, body);
    // The backend accepted the request; an unreadable answer cannot undo that.
    if (r.isErr())
      return { kind: 'ok', rejectedItems: 0, message: `unreadable response: ${r.error.message}` };
    return { kind: 'ok', rejectedItems: r.value.rejectedItems, message: r.value.errorMessage };
  }

  close(): Promise<void> {
    this.client.close();
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    return this.close();
  }
}

/** A failed call as an attempt result, by the OTLP/gRPC rules. */
export function classify(err: ServiceError, local: PipelineError | undefined, what: string): AttemptResult {
  const name = status[err.code] ?? String(err.code);
  const error =
    local ?? new PipelineError('ERR_OTLP_GRPC_STATUS', `${what}: ${name}: ${err.details}`, { cause: err });
  if (local) return { kind: 'retryable', error };
  const details = err.metadata?.get('grpc-status-details-bin')[0];
  const retryAfterMs = details instanceof Buffer ? decodeGrpcRetryDelayMs(details) : undefined;
  const retryable =
    RETRYABLE_CODES.has(err.code) || (err.code === status.RESOURCE_EXHAUSTED && retryAfterMs !== undefined);
  if (!retryable) return { kind: 'permanent', error };
  return retryAfterMs === undefined
    ? { kind: 'retryable', error }
    : { kind: 'retryable', error, retryAfterMs };
}
