import {
  PipelineError,
  createBackoff,
  sleep,
  toPipelineError,
  type Backoff,
  type BackoffPolicy,
  type Logger,
} from '@otlp-kafka/core';
import { isConnectFailure } from '@otlp-kafka/kafka-client';
import { codeName } from './codes.js';
import type { RdConfig, RdDeliveryReport, RdError, RdProducer, RdProducerFactory } from './rdkafka.js';

export interface ConnectionOptions {
  factory: RdProducerFactory;
  config: RdConfig;
  connectTimeoutMs: number;
  onReport: (err: RdError | null | undefined, report: RdDeliveryReport) => void;
  logger: Logger;
  /** Reconnect backoff. Default CONNECT_BACKOFF. */
  backoff?: BackoffPolicy;
}

/**
 * 1 s doubling to 30 s, each wait jittered by ±50%: agents that lost Kafka
 * together (a broker restart) do not all come back in the same instant.
 */
export const CONNECT_BACKOFF: BackoffPolicy = {
  initialIntervalMs: 1000,
  maxIntervalMs: 30_000,
  multiplier: 2,
  randomizationFactor: 0.5,
};

/**
 * Owns the librdkafka producer. librdkafka's connect() fails when no broker
 * answers the first metadata request, so the exporter starts anyway and keeps
 * trying in the background; once connected, librdkafka itself rides out broker
 * outages (messages wait up to message.timeout.ms). A fatal producer error
 * (e.g. idempotence sequence loss) retires the instance for a fresh one.
 */
export class ProducerConnection {
  private producer: RdProducer | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private closed = false;
  private connecting: Promise<boolean> | undefined;
  private readonly retired = new Set<Promise<void>>();
  lastError: PipelineError | undefined;

  /**
   * Set when librdkafka refused the configuration, or a broker refused the credentials
   * or the TLS handshake: no attempt can succeed, so none is retried.
   */
  configError: PipelineError | undefined;

  constructor(private readonly o: ConnectionOptions) {
    this.backoff = createBackoff(o.backoff ?? CONNECT_BACKOFF);
  }

  /** The connected producer, if any. */
  current(): RdProducer | undefined {
    return this.producer;
  }

  /** One connection attempt; on failure the next one is scheduled. Resolves true when connected. */
  connect(): Promise<boolean> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.closed || this.producer || this.configError) return Promise.resolve(this.producer !== undefined);
    if (this.connecting) return this.connecting;
    const attempt = this.attempt();
    this.connecting = attempt;
    void attempt.then(() => (this.connecting = undefined));
    return attempt;
  }

  private async attempt(): Promise<boolean> {
    let p: RdProducer;
    try {
      // The native client is created (and loaded, the first time) here, not at construction,
      // so building a pipeline never needs librdkafka.
      p = await this.create();
    } catch (e) {
      this.configError = new PipelineError(
        'ERR_INVALID_OPTIONS',
        `kafka-producer-exporter: invalid librdkafka configuration: ${toPipelineError(e).message}`,
        {
          cause: e,
        },
      );
      this.lastError = this.configError;
      return false;
    }
    if (this.closed) {
      this.retire(p, 0);
      return false;
    }
    return new Promise<boolean>((resolve) => {
      p.connect({ timeout: this.o.connectTimeoutMs }, (err) => {
        if (this.closed) {
          if (!err) this.retire(p, 0);
          resolve(false);
          return;
        }
        if (err && isConnectFailure(err)) {
          // Wrong credentials or certificates: retrying in the background would only hide it.
          this.configError = new PipelineError(
            'ERR_KAFKA_AUTH',
            `kafka-producer-exporter: cannot connect to Kafka (${this.o.config['bootstrap.servers']}): ${err.message}`,
            { cause: err },
          );
          this.lastError = this.configError;
          this.o.logger.error({ err: this.configError }, 'kafka producer connection refused; not retrying');
          // Its native connect still waits on a metadata request (up to connectTimeoutMs) and a
          // disconnect waits for it: let it end in the background, shutdown need not wait.
          p.disconnect(0, () => undefined);
          resolve(false);
          return;
        }
        if (err) {
          this.lastError = new PipelineError(
            'ERR_KAFKA_NOT_CONNECTED',
            `cannot connect to Kafka (${this.o.config['bootstrap.servers']}): ${codeName(err.code)}: ${err.message}`,
            { cause: err },
          );
          this.o.logger.warn({ err: this.lastError }, 'kafka producer connection failed; retrying');
          this.scheduleRetry();
          resolve(false);
          return;
        }
        p.pollInBackground();
        this.producer = p;
        this.backoff.reset();
        this.lastError = undefined;
        this.o.logger.info({ brokers: this.o.config['bootstrap.servers'] }, 'kafka producer connected');
        resolve(true);
      });
    });
  }

  /** Waits (bounded) until librdkafka has no message left to deliver. */
  flush(timeoutMs: number): Promise<void> {
    const p = this.producer;
    if (!p) return Promise.resolve();
    return new Promise((resolve) => p.flush(timeoutMs, () => resolve()));
  }

  /** Stops reconnecting and disconnects (librdkafka flushes up to `timeoutMs` first). */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    // An attempt in progress ends within connectTimeoutMs and retires its producer itself;
    // waiting for it is bounded by the shutdown's time left.
    if (this.connecting) await Promise.race([this.connecting, sleep(timeoutMs)]);
    const p = this.producer;
    this.producer = undefined;
    if (p) this.retire(p, timeoutMs);
    await Promise.all(this.retired);
  }

  private async create(): Promise<RdProducer> {
    const p = await this.o.factory(this.o.config);
    p.onDeliveryReport(this.o.onReport);
    p.onError((err) => this.onError(p, err));
    return p;
  }

  private onError(p: RdProducer, err: RdError): void {
    this.o.logger.warn(
      { code: codeName(err.code), message: err.message, fatal: err.isFatal === true },
      'kafka producer error',
    );
    if (err.isFatal !== true || p !== this.producer || this.closed) return;
    // librdkafka fails the queued messages of a fatal producer; their reports settle the batches.
    this.producer = undefined;
    this.lastError = new PipelineError('ERR_KAFKA_FATAL', `kafka producer failed fatally: ${err.message}`, {
      cause: err,
    });
    this.retire(p, this.o.connectTimeoutMs);
    this.scheduleRetry();
  }

  private retire(p: RdProducer, timeoutMs: number): void {
    const done = new Promise<void>((resolve) => p.disconnect(timeoutMs, () => resolve()));
    this.retired.add(done);
    void done.then(() => this.retired.delete(done));
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => void this.connect(), this.backoff.next());
    this.retryTimer.unref();
  }
}
