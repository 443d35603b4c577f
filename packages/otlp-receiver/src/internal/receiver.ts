import {
  createLifecycle,
  getLogger,
  getMeter,
  invalidOptions,
  PipelineError,
  SIGNALS,
  type Consumer,
  type Lifecycle,
  type Logger,
  type ShutdownOptions,
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
  private readonly lifecycle: Lifecycle;

  constructor(o: ParsedOptions, telemetry: OtlpReceiverOptions) {
    this.logger = getLogger(telemetry, 'otlp-receiver');
    this.lifecycle = createLifecycle(`otlp-receiver ${o.name}`, { shutdownTimeoutMs: o.shutdownTimeoutMs });
    const metrics = new ReceiverMetrics(getMeter(telemetry, 'otlp-receiver'), o.name);
    this.ingest = new Ingest(metrics, this.logger);
    this.grpc = o.grpc ? new GrpcTransport(o.grpc, this.ingest, metrics, this.logger) : undefined;
    this.http = o.http ? new HttpTransport(o.http, this.ingest, metrics, this.logger) : undefined;
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
    if (this.lifecycle.state !== 'new')
      throw invalidOptions('otlp-receiver', `connect(${signal}) after start`);
    if (this.ingest.isConnected(signal))
      throw invalidOptions('otlp-receiver', `${signal} is already connected`);
    this.ingest.connect(signal, next);
  }

  /** Listens on both endpoints; a second call returns the same promise. A port taken releases the other one. */
  start(): Promise<void> {
    return this.lifecycle.start(async () => {
      try {
        await this.grpc?.listen();
        await this.http?.listen();
      } catch (e) {
        await this.grpc?.close(0);
        await this.http?.close();
        throw new PipelineError('ERR_UNAVAILABLE', `otlp-receiver: cannot listen: ${(e as Error).message}`, {
          cause: e,
        });
      }
      this.logger.info({ grpc: this.grpcAddress, http: this.httpAddress }, 'OTLP receiver listening');
    });
  }

  /**
   * Stops taking requests, waits (until the deadline: the caller's time left,
   * capped by shutdownTimeoutMs) for those in flight to get their pipeline's
   * outcome, then closes the listeners within what is left.
   */
  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.lifecycle.shutdown(async ({ deadline }) => {
      this.grpc?.stopAccepting();
      this.http?.stopAccepting();
      const drained = await this.ingest.inFlight.drain(deadline.remainingMs());
      if (!drained) {
        this.logger.warn(
          { inFlight: this.ingest.inFlight.size },
          'shutdown timeout: closing with requests in flight',
        );
      }
      await Promise.all([this.grpc?.close(deadline.remainingMs()), this.http?.close()]);
      this.logger.info('OTLP receiver shut down');
    }, options);
  }
}
