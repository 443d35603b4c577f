import {
  explainConnectFailures,
  loadKafka,
  type DeliveryReport,
  type LibrdKafkaError,
  type LibrdkafkaConfig,
  type MessageHeader,
} from '@otlp-kafka/kafka-client';

/** librdkafka configuration as passed to the native client. */
export type RdConfig = LibrdkafkaConfig;

/** What the delivery-report event carries (error is null or undefined on success). */
export type RdError = Pick<LibrdKafkaError, 'code' | 'message'> & {
  isFatal?: boolean;
  isRetriable?: boolean;
};
export type RdDeliveryReport = Pick<DeliveryReport, 'topic' | 'partition' | 'offset' | 'opaque'>;

/**
 * The part of the native librdkafka Producer this package uses. The real one
 * is `@confluentinc/kafka-javascript`'s Producer; unit tests inject a fake.
 */
export interface RdProducer {
  connect(options: { timeout: number }, cb: (err: RdError | null | undefined) => void): void;
  onDeliveryReport(listener: (err: RdError | null | undefined, report: RdDeliveryReport) => void): void;
  onError(listener: (err: RdError) => void): void;
  /** Enqueues one message; throws an RdError (e.g. queue full, message too large). */
  produce(
    topic: string,
    value: Buffer,
    key: Buffer | null,
    opaque: unknown,
    headers: MessageHeader[] | undefined,
  ): void;
  /** Delivery reports are dispatched by a librdkafka background thread, not a JS timer. */
  pollInBackground(): void;
  flush(timeoutMs: number, cb: (err: RdError | null | undefined) => void): void;
  disconnect(timeoutMs: number, cb: (err: unknown) => void): void;
}

/** May be async: the native client is loaded on first use. Throws (or rejects) for configuration librdkafka refuses. */
export type RdProducerFactory = (config: RdConfig) => RdProducer | Promise<RdProducer>;

/** The native Producer, loaded lazily. Construction validates the configuration (throws on unknown or bad properties). */
export const nativeProducerFactory: RdProducerFactory = async (config) => {
  const kafka = await loadKafka();
  // A broker refusing the credentials or the TLS handshake ends connect() at once, naming the cause.
  const p = explainConnectFailures(new kafka.Producer({ ...config, dr_cb: true }));
  return {
    connect(options, cb) {
      p.connect(options, (err) => cb(err));
    },
    onDeliveryReport(listener) {
      p.on('delivery-report', (err, report) => listener(err, report));
    },
    onError(listener) {
      p.on('event.error', listener);
    },
    produce(topic, value, key, opaque, headers) {
      // Partition -1 (null): librdkafka's partitioner; timestamp null: now.
      p.produce(topic, null, value, key, null, opaque, headers);
    },
    pollInBackground() {
      p.setPollInBackground(true);
    },
    flush(timeoutMs, cb) {
      try {
        p.flush(timeoutMs, (err) => cb(err));
      } catch (e) {
        cb(e as RdError); // not connected
      }
    },
    disconnect(timeoutMs, cb) {
      try {
        p.disconnect(timeoutMs, cb);
      } catch (e) {
        cb(e);
      }
    },
  };
};
