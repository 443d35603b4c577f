import {
  getLogger,
  getMeter,
  invalidOptions,
  PipelineError,
  SIGNALS,
  type Consumer,
  type Logger,
  type Signal,
} from '@otlp-kafka/core';
import type { OtlpReceiver } from '../otlp-receiver.js';
import type { OtlpReceiverOptions, ParsedOptions } from '../options.js';
import { GrpcTransport } from './grpc-server.js';
import { HttpTransport } from './http-server.js';
import { Ingest } from './ingest.js';
import { ReceiverMetrics } from './metrics.js';

/** One receiver serving all three signals over gRPC and/or HTTP. */
export class OtlpReceiverImpl implements OtlpReceiver {
  readonly signals: readonly Signal[] = SIGNALS;
  private readonly logger: Logger;
  private readonly ingest: Ingest;
  private readonly grpc: GrpcTransport | undefined;
  private readonly http: HttpTransport | undefined;
  private state: 'new' | 'starting' | 'started' | 'stopped' = 'new';
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly o: ParsedOptions,
    telemetry: OtlpReceiverOptions,
  ) {
    this.logger = getLogger(telemetry, 'otlp-receiver');
    this.ingest = new Ingest(new ReceiverMetrics(getMeter(telemetry, 'otlp-receiver'), o.name), this.logger);
    this.grpc = o.grpc ? new GrpcTransport(o.grpc, this.ingest, this.logger) : undefined;
    this.http = o.http ? new HttpTransport(o.http, this.ingest, this.logger) : undefined;
  }

  get grpcAddress(): string | undefined {
    return this.grpc?.address;
  }

  get httpAddress(): string | undefined {
    return this.http?.address;
  }

  get httpUrl(): string | undefined {
    return this.http?.url;
  }

  connect(signal: Signal, next: Consumer): void {
    if (this.state !== 'new') throw invalidOptions('otlp-receiver', `connect(${signal}) after start`);
    if (this.ingest.isConnected(signal))
      throw invalidOptions('otlp-receiver', `${signal} is already connected`);
    this.ingest.connect(signal, next);
  }

  async start(): Promise<void> {
    if (this.state !== 'new')
      throw new PipelineError('ERR_INTERNAL', `otlp-receiver: start() while ${this.state}`);
    this.state = 'starting';
    try {
      await this.grpc?.listen();
      await this.http?.listen();
    } catch (e) {
      await this.grpc?.close(0);
      await this.http?.close();
      this.state = 'stopped';
      throw new PipelineError('ERR_UNAVAILABLE', `otlp-receiver: cannot listen: ${(e as Error).message}`, {
        cause: e,
      });
    }
    this.state = 'started';
    this.logger.info({ grpc: this.grpcAddress, http: this.httpAddress }, 'OTLP receiver listening');
  }

  /**
   * Stops taking requests, waits (bounded by shutdownTimeoutMs) for those in
   * flight to get their pipeline's outcome, then closes the listeners.
   */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      this.state = 'stopped';
      this.grpc?.stopAccepting();
      this.http?.stopAccepting();
      const started = Date.now();
      const drained = await this.ingest.inFlight.drain(this.o.shutdownTimeoutMs);
      if (!drained) {
        this.logger.warn(
          { inFlight: this.ingest.inFlight.size },
          'shutdown timeout: closing with requests in flight',
        );
      }
      const left = Math.max(0, this.o.shutdownTimeoutMs - (Date.now() - started));
      await Promise.all([this.grpc?.close(left), this.http?.close()]);
      this.logger.info('OTLP receiver shut down');
    })();
    return this.stopping;
  }
}
