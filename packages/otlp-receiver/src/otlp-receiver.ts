import { parseOptions, type Receiver } from '@otlp-kafka/core';
import { OtlpReceiverImpl } from './internal/receiver.js';
import { optionsSchema, type OtlpReceiverOptions } from './options.js';

/** An OTLP/gRPC + OTLP/HTTP server feeding one pipeline per signal. */
export interface OtlpReceiver extends Receiver {
  /** The bound gRPC address as host:port (the real port when the endpoint asked for 0), once started. */
  readonly grpcAddress: string | undefined;
  /** The bound HTTP address as host:port, once started. */
  readonly httpAddress: string | undefined;
  /** http://host:port (https with TLS), once started. */
  readonly httpUrl: string | undefined;
}

export function createOtlpReceiver(options: OtlpReceiverOptions = {}): OtlpReceiver {
  return new OtlpReceiverImpl(parseOptions('otlp-receiver', optionsSchema, options), options);
}
