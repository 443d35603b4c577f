/**
 * The librdkafka error codes otlp-kafka acts on (stable ABI values of
 * rd_kafka_resp_err_t; a unit test checks them against the binding's CODES,
 * so naming them needs no native module). Negative: raised locally by
 * librdkafka; positive: returned by the broker.
 */
export const RD = {
  ERR__MSG_TIMED_OUT: -192,
  ERR__UNKNOWN_TOPIC: -188,
  ERR__QUEUE_FULL: -184,
  ERR__STATE: -172,
  ERR__PURGE_QUEUE: -152,
  ERR__PURGE_INFLIGHT: -151,
  ERR__FATAL: -150,
  ERR__DESTROY: -197,
  ERR__AUTHENTICATION: -169,
  ERR__SSL: -181,
  ERR__TRANSPORT: -195,
  ERR_INVALID_MSG: 2,
  ERR_UNKNOWN_TOPIC_OR_PART: 3,
  ERR_MSG_SIZE_TOO_LARGE: 10,
  ERR_TOPIC_EXCEPTION: 17,
  ERR_RECORD_LIST_TOO_LARGE: 18,
  ERR_TOPIC_AUTHORIZATION_FAILED: 29,
  ERR_CLUSTER_AUTHORIZATION_FAILED: 31,
  ERR_TOPIC_ALREADY_EXISTS: 36,
  ERR_INVALID_PARTITIONS: 37,
  ERR_INVALID_REPLICATION_FACTOR: 38,
  ERR_INVALID_REQUIRED_ACKS: 21,
  ERR_POLICY_VIOLATION: 44,
  ERR_SASL_AUTHENTICATION_FAILED: 58,
  ERR_UNSUPPORTED_COMPRESSION_TYPE: 76,
  ERR_INVALID_RECORD: 87,
} as const;

const NAMES = new Map<number, string>(Object.entries(RD).map(([k, v]) => [v, k] as const));

/** 'ERR__MSG_TIMED_OUT' for -192, 'librdkafka error 123' for codes not named in RD. */
export function rdCodeName(code: number): string {
  return NAMES.get(code) ?? `librdkafka error ${code}`;
}
