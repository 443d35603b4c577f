import { z } from 'zod';
import type { Assert, DefaultsOf, SchemaMatches, Signal, TelemetryOptions } from '@otlp-kafka/core';
import {
  connectionShape,
  DEFAULT_BROKERS,
  DEFAULT_TOPICS,
  KAFKA_ENCODINGS,
  type KafkaConnectionOptions,
  type KafkaEncoding,
  type OwnedKey,
} from '@otlp-kafka/kafka-client';

// The connection shape and the encodings are the Kafka layer's; re-exported for compatibility.
export type {
  KafkaConnectionOptions,
  KafkaEncoding,
  KafkaSaslOptions,
  KafkaTlsOptions,
} from '@otlp-kafka/kafka-client';

/** Collector: `producer`. */
export interface KafkaProducerOptions {
  /** none | gzip | snappy | lz4 | zstd. Default 'none'. */
  compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** Collector: required_acks. 0, 1 or -1 (all in-sync replicas). Default -1. */
  requiredAcks?: 0 | 1 | -1;
  /** Collector: idempotent. Only valid with requiredAcks -1. Default: true when requiredAcks is -1. */
  enableIdempotence?: boolean;
  /**
   * Collector: max_message_bytes. Upper bound of one Kafka record (value, key,
   * headers and record overhead); larger batches are split. Default 1000000.
   */
  maxMessageBytes?: number;
  /** Collector: flush_max_messages. Messages per produce request (librdkafka batch.num.messages). Default 10000. */
  flushMaxMessages?: number;
  /**
   * Collector: linger. Wait this long to fill produce requests (librdkafka linger.ms). Default 0: the
   * batcher in front already gathers for its own linger, and librdkafka still packs what queues while
   * requests are in flight; a second linger only adds latency (bench/go-collector, latency mode).
   */
  lingerMs?: number;
  /**
   * Collector: timeout. How long librdkafka keeps trying to deliver a message
   * (librdkafka message.timeout.ms); then the batch is refused as retryable. Default 30000.
   */
  messageTimeoutMs?: number;
  /** Bound on messages awaiting their delivery report (librdkafka queue.buffering.max.messages). Default 100000. */
  queueMaxMessages?: number;
  /** Bound on KiB awaiting their delivery report (librdkafka queue.buffering.max.kbytes). Default 65536 (64 MiB). */
  queueMaxKbytes?: number;
}

export interface KafkaExporterOptions extends KafkaConnectionOptions, TelemetryOptions {
  /** Names this exporter in metrics (`exporter` attribute) and logs. Default 'kafka'. */
  name?: string;
  /** A topic for every signal; overrides `topics`. */
  topic?: string;
  /** Topic per signal. Default { traces: 'otlp_spans', metrics: 'otlp_metrics', logs: 'otlp_logs' }. */
  topics?: Partial<Record<Signal, string>>;
  /**
   * Collector: topic_from_attribute. A resource attribute whose string value is
   * the topic for that resource's data (precedence: attribute, then the batch
   * metadata's `topic`, then `topic` / `topics`). Default none.
   */
  topicFromAttribute?: string;
  /**
   * Collector: topic_from_metadata_key. A batch metadata header (case-insensitive, e.g. one a
   * receiver kept with include_metadata) whose first value is the topic of the whole batch;
   * before topicFromAttribute. Needs allowedTopics, so a client's header cannot name any topic. Default none.
   */
  topicFromMetadataKey?: string;
  /**
   * Topics a batch may be routed to by topicFromMetadataKey, topicFromAttribute or the batch
   * metadata's `topic` (the configured topic of the signal is always allowed). Items routed
   * elsewhere are refused for good (partial / permanent ERR_KAFKA_TOPIC_NOT_ALLOWED), never produced.
   * Default none: any topic (only without topicFromMetadataKey).
   */
  allowedTopics?: readonly string[];
  /** Message payload. Default 'otlp_proto'. */
  encoding?: KafkaEncoding;
  /** Key trace messages by trace id (hex), so a trace stays on one partition. Default false. */
  partitionTracesById?: boolean;
  /** Key metric messages by a hash of the resource attributes. Default false. */
  partitionMetricsByResourceAttributes?: boolean;
  /** Key log messages by a hash of the resource attributes. Default false. */
  partitionLogsByResourceAttributes?: boolean;
  /** Key log messages by trace id (hex; records without one get no key). Default false. */
  partitionLogsByTraceId?: boolean;
  /** Static headers on every message. Default {}. */
  headers?: Readonly<Record<string, string>>;
  /** Collector: include_metadata_keys. Batch metadata headers (case-insensitive) copied onto each message. Default []. */
  headersFromMetadata?: readonly string[];
  producer?: KafkaProducerOptions;
  /** Bound on shutdown's wait for outstanding delivery reports. Default 30000. */
  shutdownTimeoutMs?: number;
}

export const DEFAULTS = {
  name: 'kafka',
  brokers: DEFAULT_BROKERS,
  clientId: 'otlp-kafka',
  topics: DEFAULT_TOPICS,
  encoding: 'otlp_proto',
  partitionTracesById: false,
  partitionMetricsByResourceAttributes: false,
  partitionLogsByResourceAttributes: false,
  partitionLogsByTraceId: false,
  headers: {},
  headersFromMetadata: [],
  librdkafka: {},
  producer: {
    compression: 'none',
    requiredAcks: -1,
    maxMessageBytes: 1_000_000,
    flushMaxMessages: 10_000,
    lingerMs: 0,
    messageTimeoutMs: 30_000,
    queueMaxMessages: 100_000,
    queueMaxKbytes: 65_536,
  },
  connectTimeoutMs: 10_000,
  shutdownTimeoutMs: 30_000,
} as const satisfies DefaultsOf<KafkaExporterOptions>;

const ms = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();
const topicName = z
  .string()
  .min(1)
  .max(249)
  .regex(/^[a-zA-Z0-9._-]+$/, 'a Kafka topic name: letters, digits, ".", "_" and "-"');

/**
 * librdkafka properties the exporter's guarantees rest on: acknowledgement
 * (acks, idempotence), record splitting (message.max.bytes), the delivery
 * sweep (message.timeout.ms) and the queue budget. Refused in `librdkafka`.
 */
export const OWNED_LIBRDKAFKA_KEYS: readonly OwnedKey[] = [
  { key: 'acks', reason: 'is set by producer.requiredAcks' },
  { key: 'request.required.acks', reason: 'is set by producer.requiredAcks' },
  { key: 'enable.idempotence', reason: 'is set by producer.enableIdempotence' },
  { key: 'message.max.bytes', reason: 'is set by producer.maxMessageBytes (records are split to fit it)' },
  { key: 'message.timeout.ms', reason: 'is set by producer.messageTimeoutMs' },
  { key: 'delivery.timeout.ms', reason: 'is set by producer.messageTimeoutMs' },
  { key: 'queue.buffering.max.messages', reason: 'is set by producer.queueMaxMessages' },
  { key: 'queue.buffering.max.kbytes', reason: 'is set by producer.queueMaxKbytes' },
  { key: 'dr_cb', reason: 'is set by the exporter: every record needs its delivery report' },
  { key: 'dr_msg_cb', reason: 'is set by the exporter: every record needs its delivery report' },
];

const producerSchema = z.strictObject({
  compression: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default(DEFAULTS.producer.compression),
  requiredAcks: z
    .union([z.literal(0), z.literal(1), z.literal(-1)], {
      error: () => 'must be 0, 1 or -1 (all in-sync replicas)',
    })
    .default(DEFAULTS.producer.requiredAcks),
  enableIdempotence: z.boolean().optional(),
  // librdkafka's message.max.bytes accepts 1000 .. 1000000000.
  maxMessageBytes: z.number().int().min(1000).max(1_000_000_000).default(DEFAULTS.producer.maxMessageBytes),
  flushMaxMessages: z.number().int().min(1).max(1_000_000).default(DEFAULTS.producer.flushMaxMessages),
  lingerMs: z.number().nonnegative().max(900_000).default(DEFAULTS.producer.lingerMs),
  messageTimeoutMs: positiveInt.max(2_147_483_647).default(DEFAULTS.producer.messageTimeoutMs),
  queueMaxMessages: positiveInt.max(2_147_483_647).default(DEFAULTS.producer.queueMaxMessages),
  queueMaxKbytes: positiveInt.max(2_147_483_647).default(DEFAULTS.producer.queueMaxKbytes),
});

export const optionsSchema = z
  .strictObject({
    ...connectionShape(
      { clientId: DEFAULTS.clientId, connectTimeoutMs: DEFAULTS.connectTimeoutMs },
      OWNED_LIBRDKAFKA_KEYS,
    ),
    name: z.string().min(1).default(DEFAULTS.name),
    topic: topicName.optional(),
    topics: z
      .strictObject({
        traces: topicName.optional(),
        metrics: topicName.optional(),
        logs: topicName.optional(),
      })
      .default({}),
    topicFromAttribute: z.string().min(1).optional(),
    topicFromMetadataKey: z
      .string()
      .min(1)
      .transform((k) => k.toLowerCase())
      .optional(),
    allowedTopics: z.array(topicName).readonly().optional(),
    encoding: z
      .enum(KAFKA_ENCODINGS, { error: () => `supported encodings are ${KAFKA_ENCODINGS.join(' and ')}` })
      .default(DEFAULTS.encoding),
    partitionTracesById: z.boolean().default(false),
    partitionMetricsByResourceAttributes: z.boolean().default(false),
    partitionLogsByResourceAttributes: z.boolean().default(false),
    partitionLogsByTraceId: z.boolean().default(false),
    headers: z.record(z.string().min(1), z.string()).default({}),
    headersFromMetadata: z
      .array(
        z
          .string()
          .min(1)
          .transform((k) => k.toLowerCase()),
      )
      .readonly()
      .default([]),
    producer: producerSchema.default(producerSchema.parse({})),
    shutdownTimeoutMs: ms.default(DEFAULTS.shutdownTimeoutMs),
    meterProvider: z.any().optional(),
    logger: z.any().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.topicFromMetadataKey !== undefined && o.allowedTopics === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['allowedTopics'],
        message: 'topicFromMetadataKey needs allowedTopics: a request header must not choose any topic',
      });
    }
    if (o.partitionLogsByResourceAttributes && o.partitionLogsByTraceId) {
      ctx.addIssue({
        code: 'custom',
        path: ['partitionLogsByTraceId'],
        message: 'partitionLogsByTraceId and partitionLogsByResourceAttributes are mutually exclusive',
      });
    }
    const p = o.producer;
    if (p.enableIdempotence === true && p.requiredAcks !== -1) {
      ctx.addIssue({
        code: 'custom',
        path: ['producer', 'enableIdempotence'],
        message: 'idempotence requires requiredAcks -1 (all)',
      });
    }
    if (p.queueMaxKbytes * 1024 < p.maxMessageBytes) {
      ctx.addIssue({
        code: 'custom',
        path: ['producer', 'queueMaxKbytes'],
        message: `must hold at least one message of maxMessageBytes (${p.maxMessageBytes} bytes)`,
      });
    }
    if (p.messageTimeoutMs <= p.lingerMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['producer', 'messageTimeoutMs'],
        message: 'must be greater than lingerMs',
      });
    }
  });

export type ResolvedOptions = z.output<typeof optionsSchema>;

/** Compile-time: the schema accepts exactly the options of the interface. @typecheck */
export type OptionsCheck = Assert<SchemaMatches<z.input<typeof optionsSchema>, KafkaExporterOptions>>;

/** The topic for a signal when neither an attribute nor the batch metadata names one. */
export function defaultTopic(o: ResolvedOptions, signal: Signal): string {
  return o.topic ?? o.topics[signal] ?? DEFAULTS.topics[signal];
}

/** Idempotence defaults on exactly when acks are all. */
export function idempotenceOf(o: ResolvedOptions): boolean {
  return o.producer.enableIdempotence ?? o.producer.requiredAcks === -1;
}
