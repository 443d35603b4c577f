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
import type { ServerAuthenticator } from '@otlp-kafka/auth-extensions';
import type { Authenticate } from '../options.js';
import { asAuthenticator, RefusalLog, RequestAuth } from './auth.js';
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
  /** Each distinct authenticator once, for its start and shutdown. */
  private readonly authenticators: readonly ServerAuthenticator[];

  constructor(o: ParsedOptions, telemetry: OtlpReceiverOptions) {
    this.logger = getLogger(telemetry, 'otlp-receiver');
    this.lifecycle = createLifecycle(`otlp-receiver ${o.name}`, { shutdownTimeoutMs: o.shutdownTimeoutMs });
    const metrics = new ReceiverMetrics(getMeter(telemetry, 'otlp-receiver'), o.name);
    this.ingest = new Ingest(metrics, this.logger);
    const distinct = new Map<Authenticate, ServerAuthenticator>();
    const refusalLog = new RefusalLog(this.logger);
    const authFor = (a: Authenticate | undefined, transport: 'grpc' | 'http') => {
      if (a === undefined) return undefined;
      if (!distinct.has(a)) distinct.set(a, asAuthenticator(a));
      return new RequestAuth(distinct.get(a)!, transport, metrics, refusalLog, this.logger);
    };
    this.grpc = o.grpc
      ? new GrpcTransport(o.grpc, this.ingest, metrics, this.logger, authFor(o.grpc.authenticate, 'grpc'))
      : undefined;
    this.http = o.http
      ? new HttpTransport(o.http, this.ingest, metrics, this.logger, authFor(o.http.authenticate, 'http'))
      : undefined;
    this.authenticators = [...distinct.values()];
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
      // Authenticators first (a token or htpasswd file that cannot be read fails start, naming it).
      const started: ServerAuthenticator[] = [];
      try {
        for (const a of this.authenticators) {
          await a.start?.();
          started.push(a);
        }
      } catch (e) {
        await this.stopAuthenticators(started);
        throw e;
      }
      try {
        await this.grpc?.listen();
        await this.http?.listen();
      } catch (e) {
        await this.grpc?.close(0);
        await this.http?.close();
        await this.stopAuthenticators(this.authenticators);
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
      await this.stopAuthenticators(this.authenticators);
      this.logger.info('OTLP receiver shut down');
    }, options);
  }

  private async stopAuthenticators(list: readonly ServerAuthenticator[]): Promise<void> {
    for (const a of list)
      await a
        .shutdown?.()
        .catch((err: unknown) => this.logger.warn({ err }, 'authenticator shutdown failed'));
  }
}
