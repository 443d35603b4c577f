import * as grpc from '@grpc/grpc-js';
import type { Signal } from '@otlp-kafka/pdata';

const PATH: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

export type GrpcReply =
  { ok: true; response: Buffer } | { ok: false; code: number; details: string; metadata: grpc.Metadata };

const identity = (b: Buffer): Buffer => b;

/** A raw-bytes OTLP/gRPC client for tests. */
export function grpcClient(
  address: string,
  options: grpc.ChannelOptions = {},
  creds = grpc.credentials.createInsecure(),
) {
  const client = new grpc.Client(address, creds, options);
  return {
    export(signal: Signal, body: Buffer, metadata = new grpc.Metadata()): Promise<GrpcReply> {
      return new Promise((resolve) => {
        client.makeUnaryRequest(PATH[signal], identity, identity, body, metadata, {}, (err, response) => {
          if (err) resolve({ ok: false, code: err.code, details: err.details, metadata: err.metadata });
          else resolve({ ok: true, response: response ?? Buffer.alloc(0) });
        });
      });
    },
    /** Resolves once the channel is no longer READY: its connection was closed (GOAWAY or EOF). */
    closedByServer(): Promise<void> {
      const channel = client.getChannel();
      return new Promise((resolve) => {
        const check = (): void => {
          const state = channel.getConnectivityState(false);
          if (state !== grpc.connectivityState.READY) return resolve();
          channel.watchConnectivityState(state, Infinity, check);
        };
        check();
      });
    },
    /** The channel's connectivity state, without connecting. */
    state: (): grpc.connectivityState => client.getChannel().getConnectivityState(false),
    close: () => client.close(),
  };
}
