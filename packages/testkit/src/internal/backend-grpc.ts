import * as grpc from '@grpc/grpc-js';
import { SIGNALS, encodeExportResponse, encodeGrpcStatusDetails, type Signal } from '@otlp-kafka/pdata';
import { GRPC, type BackendCore } from './backend-core.js';
import type { BackendTls } from './backend-http.js';

const SERVICE: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
};

const identity = (b: Buffer): Buffer => b;

function definition(signal: Signal): grpc.ServiceDefinition {
  return {
    Export: {
      path: `/${SERVICE[signal]}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: 'export',
    },
  };
}

/** A retried call, as gRPC's retries (and the otlp exporter's) mark it: metadata grpc-previous-rpc-attempts > 0. */
function isRetry(metadata: grpc.Metadata): boolean {
  return Number(metadata.get('grpc-previous-rpc-attempts')[0] ?? 0) > 0;
}

/** Text metadata (lower-case names, values joined with ', '); binary (-bin) values left out. */
function textMetadata(metadata: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.getMap())) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The OTLP/gRPC side of the test backend: the three Export methods with raw-bytes serializers. */
export class BackendGrpc {
  private server: grpc.Server | undefined;

  constructor(
    private readonly core: BackendCore,
    private readonly maxBodyBytes: number,
    private readonly tls?: BackendTls,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': this.maxBodyBytes,
    });
    for (const signal of SIGNALS) {
      server.addService(definition(signal), {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
          void this.export(
            signal,
            call.request,
            isRetry(call.metadata),
            textMetadata(call.metadata),
            callback,
          ),
      });
    }
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${port}`, this.credentials(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.server = server;
    return bound;
  }

  private credentials(): grpc.ServerCredentials {
    const t = this.tls;
    if (!t) return grpc.ServerCredentials.createInsecure();
    return grpc.ServerCredentials.createSsl(
      t.ca ?? null,
      [{ cert_chain: t.cert, private_key: t.key }],
      t.requireClientCert,
    );
  }

  /** Drops every connection at once. */
  close(): Promise<void> {
    this.server?.forceShutdown();
    this.server = undefined;
    return Promise.resolve();
  }

  private async export(
    signal: Signal,
    request: Buffer,
    retry: boolean,
    headers: Record<string, string>,
    callback: grpc.sendUnaryData<Buffer>,
  ): Promise<void> {
    try {
      const answer = await this.core.handle(signal, request, 'grpc', retry, headers);
      if (answer.kind === 'drop') return callback({ code: GRPC.UNAVAILABLE, details: 'test backend down' });
      if (answer.kind === 'ok')
        return callback(
          null,
          Buffer.from(
            encodeExportResponse(signal, {
              rejectedItems: answer.rejectedItems,
              errorMessage: answer.message,
            }),
          ),
        );
      const trailer = new grpc.Metadata();
      const status =
        answer.retryAfterSeconds === undefined
          ? { code: answer.grpc, message: answer.message }
          : { code: answer.grpc, message: answer.message, retryDelayMs: answer.retryAfterSeconds * 1000 };
      trailer.set('grpc-status-details-bin', Buffer.from(encodeGrpcStatusDetails(status)));
      callback({ code: answer.grpc, details: answer.message, metadata: trailer });
    } catch (e) {
      callback({ code: GRPC.INTERNAL, details: String(e) });
    }
  }
}
