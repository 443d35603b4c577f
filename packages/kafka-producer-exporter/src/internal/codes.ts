import { RD } from '@otlp-kafka/kafka-client';

// The librdkafka codes are named once, in the Kafka layer.
export { RD };

/** Codes this package uses for failures librdkafka did not report itself. */
export const LOCAL = {
  /** No delivery report long after message.timeout.ms: treated as not delivered. */
  NO_REPORT: -10_001,
  /** Shutdown gave up waiting for the report. */
  SHUTDOWN: -10_002,
  /** produce() threw something that is not a librdkafka error. */
  PRODUCE_FAILED: -10_003,
} as const;

const NAMES = new Map<number, string>([
  ...Object.entries(RD).map(([k, v]) => [v, k] as const),
  ...Object.entries(LOCAL).map(([k, v]) => [v, `ERR_KAFKA_${k}`] as const),
]);

/** 'ERR__MSG_TIMED_OUT' for -192, 'librdkafka error 123' for codes this package does not name. */
export function codeName(code: number): string {
  return NAMES.get(code) ?? `librdkafka error ${code}`;
}

/**
 * Errors that sending the same message again cannot fix: the record is too
 * large or malformed for the broker, or the producer may not write the topic.
 */
const PERMANENT = new Set<number>([
  RD.ERR_INVALID_MSG,
  RD.ERR_MSG_SIZE_TOO_LARGE,
  RD.ERR_TOPIC_EXCEPTION,
  RD.ERR_RECORD_LIST_TOO_LARGE,
  RD.ERR_TOPIC_AUTHORIZATION_FAILED,
  RD.ERR_CLUSTER_AUTHORIZATION_FAILED,
  RD.ERR_INVALID_REQUIRED_ACKS,
  RD.ERR_UNSUPPORTED_COMPRESSION_TYPE,
  RD.ERR_INVALID_RECORD,
]);

/** What to do about an error, where the librdkafka message alone does not say. */
export const HINTS: ReadonlyMap<number, string> = new Map([
  [
    RD.ERR_MSG_SIZE_TOO_LARGE,
    "the broker refused the record as too large: producer.maxMessageBytes must not exceed the topic's max.message.bytes (broker default 1048588)",
  ],
  [RD.ERR_TOPIC_AUTHORIZATION_FAILED, 'the client may not write this topic (Kafka ACLs)'],
  [
    RD.ERR__UNKNOWN_TOPIC,
    'the topic does not exist and the broker does not create topics automatically: create it (ensureTopics)',
  ],
  [
    RD.ERR_UNKNOWN_TOPIC_OR_PART,
    'the topic does not exist and the broker does not create topics automatically: create it (ensureTopics)',
  ],
]);

export type DeliveryFailureKind = 'retryable' | 'backpressure' | 'permanent';

/**
 * How a failed message is refused. Everything not known to be permanent is
 * retryable: unknown topics (they may be created), timeouts, fatal producer
 * errors and purges at shutdown all leave the data worth sending again.
 */
export function classify(code: number): DeliveryFailureKind {
  if (code === RD.ERR__QUEUE_FULL) return 'backpressure';
  if (PERMANENT.has(code)) return 'permanent';
  return 'retryable';
}
