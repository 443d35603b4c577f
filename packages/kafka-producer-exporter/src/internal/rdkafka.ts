import kafka from '@confluentinc/kafka-javascript';
import type { DeliveryReport, LibrdKafkaError, MessageHeader, NewTopic, TopicDescription } from '@confluentinc/kafka-javascript';

/** librdkafka configuration as passed to the native client. */
export type RdConfig = Record<string, string | number | boolean>;

/** What the delivery-report event carries (error is null or undefined on success). */
export type RdError = Pick<LibrdKafkaError, 'code' | 'message'> & { isFatal?: boolean; isRetriable?: boolean };
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
  produce(topic: string, value: Buffer, key: Buffer | null, opaque: unknown, headers: MessageHeader[] | undefined): void;
  /** Delivery reports are dispatched by a librdkafka background thread, not a JS timer. */
  pollInBackground(): void;
  flush(timeoutMs: number, cb: (err: RdError | null | undefined) => void): void;
  disconnect(timeoutMs: number, cb: (err: unknown) => void): void;
}

export type RdProducerFactory = (config: RdConfig) => RdProducer;

/** The AdminClient operations `ensureTopics` needs. */
export interface RdAdmin {
  describeTopics(topics: string[], timeoutMs: number, cb: (err: RdError | null | undefined, result: TopicDescription[]) => void): void;
  createTopic(topic: NewTopic, timeoutMs: number, cb: (err: RdError | null | undefined) => void): void;
  createPartitions(topic: string, total: number, timeoutMs: number, cb: (err: RdError | null | undefined) => void): void;
  disconnect(): void;
}

export type RdAdminFactory = (config: RdConfig) => RdAdmin;

/** The native Producer. Construction validates the configuration (throws on unknown or bad properties). */
export const nativeProducerFactory: RdProducerFactory = (config) => {
  const p = new kafka.Producer({ ...config, dr_cb: true });
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

export const nativeAdminFactory: RdAdminFactory = (config) => {
  const a = kafka.AdminClient.create(config);
  return {
    describeTopics(topics, timeoutMs, cb) {
      a.describeTopics(topics, { timeout: timeoutMs }, cb);
    },
    createTopic(topic, timeoutMs, cb) {
      a.createTopic(topic, timeoutMs, cb);
    },
    createPartitions(topic, total, timeoutMs, cb) {
      a.createPartitions(topic, total, timeoutMs, cb);
    },
    disconnect() {
      a.disconnect();
    },
  };
};
