import { z } from 'zod';
import type { Assert, DefaultsOf, Logger, SchemaMatches, Signal, TelemetryOptions } from '@otlp-kafka/core';
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
export type { KafkaEncoding, LibrdkafkaValue } from '@otlp-kafka/kafka-client';
export type RebalanceStrategy = 'cooperative-sticky' | 'range' | 'roundrobin' | 'range,roundrobin';

/** The topics of one signal. A topic starting with `^` is a regular expression. */
export interface SignalTopicsOptions {
  topics?: readonly string[];
  /** Default: the receiver's `encoding`. */
  encoding?: KafkaEncoding;
}

/**
 * Options of the Kafka consumer receiver. Every field is optional.
 *
 * Topics and signals, three ways:
 * - `traces` / `metrics` / `logs` sections: one receiver (one consumer group
 *   member) feeds several signals, each from its own topics;
 * - `topics` (or `topic`) with `signal`: one signal;
 * - `topics` without `signal`: the topics belong to whichever single signal the
 *   receiver is connected to (as a Collector `kafka` receiver listed in one pipeline);
 * - nothing: the connected signals read the Collector's default topics
 *   `otlp_spans`, `otlp_metrics`, `otlp_logs`.
 */
export interface KafkaReceiverOptions extends KafkaConnectionOptions, TelemetryOptions {
  topic?: string;
  topics?: readonly string[];
  /** The signal of `topic`/`topics`. */
  signal?: Signal;
  /** Payload encoding. Default 'otlp_proto'. */
  encoding?: KafkaEncoding;
  traces?: SignalTopicsOptions;
  metrics?: SignalTopicsOptions;
  logs?: SignalTopicsOptions;
  /** Default 'otel-collector'. */
  groupId?: string;
  /** Static group membership (group.instance.id). Default: none. */
  groupInstanceId?: string;
  /** Where a group without a committed offset starts. Default 'latest'. */
  initialOffset?: 'earliest' | 'latest';
  /**
   * enable: librdkafka commits the stored offsets every intervalMs (stores happen only on
   * acknowledgement). Off: the receiver commits right after each store. Default { enable: true, intervalMs: 1000 }.
   */
  autoCommit?: { enable?: boolean; intervalMs?: number };
  /** Default 10000. */
  sessionTimeoutMs?: number;
  /** Default 3000. */
  heartbeatIntervalMs?: number;
  /** fetch.min.bytes. Default 1. */
  minFetchBytes?: number;
  /** fetch.max.bytes. Default 52428800. */
  maxFetchBytes?: number;
  /** max.partition.fetch.bytes. Default 1048576. */
  maxPartitionFetchBytes?: number;
  /** fetch.wait.max.ms. Default 250. */
  maxFetchWaitMs?: number;
  /** partition.assignment.strategy. Default 'cooperative-sticky'. */
  rebalanceStrategy?: RebalanceStrategy;
  /**
   * Copies the named Kafka headers into resource attributes `kafka.header.<name>`.
   * All headers always travel in the batch metadata. Default { extractHeaders: false, headers: [] }.
   */
  headerExtraction?: { extractHeaders?: boolean; headers?: readonly string[] };
  /** Messages dispatched and not yet acknowledged, across partitions. Default 1000. */
  maxInFlightMessages?: number;
  /** Their bytes. Default 33554432 (32 MiB). */
  maxInFlightBytes?: number;
  /** Most messages taken from librdkafka per poll. Default 500. */
  maxPollMessages?: number;
  /** Delays between redeliveries of a refused message. It is redelivered until accepted, never skipped. */
  errorBackoff?: {
    initialIntervalMs?: number;
    maxIntervalMs?: number;
    multiplier?: number;
    randomizationFactor?: number;
  };
  /** Where permanently refused and undecodable records go. Default: none (counted, logged, skipped). */
  deadLetterTopic?: string;
  /** Bound on waiting for a revoked partition's in-flight acknowledgements. Default 10000. */
  revokeTimeoutMs?: number;
  /** Bound on draining in-flight work at shutdown. Default 30000. */
  shutdownTimeoutMs?: number;
  /** How often partition lag is refreshed for the gauge. Default 10000. */
  lagIntervalMs?: number;
  /** Default: warn and error lines to stderr, rate-limited per message; debug and info dropped. */
  logger?: Logger;
}

export const DEFAULTS = {
  brokers: DEFAULT_BROKERS,
  encoding: 'otlp_proto',
  groupId: 'otel-collector',
  clientId: 'otel-collector',
  connectTimeoutMs: 10_000,
  initialOffset: 'latest',
  autoCommit: { enable: true, intervalMs: 1000 },
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 3_000,
  minFetchBytes: 1,
  maxFetchBytes: 52_428_800,
  maxPartitionFetchBytes: 1_048_576,
  maxFetchWaitMs: 250,
  rebalanceStrategy: 'cooperative-sticky',
  headerExtraction: { extractHeaders: false, headers: [] },
  maxInFlightMessages: 1000,
  // Below the batcher's default pending budget (64 MiB), so a full receiver does not make it refuse.
  maxInFlightBytes: 32 * 1024 * 1024,
  maxPollMessages: 500,
  errorBackoff: { initialIntervalMs: 1000, maxIntervalMs: 30_000, multiplier: 1.5, randomizationFactor: 0.5 },
  revokeTimeoutMs: 10_000,
  shutdownTimeoutMs: 30_000,
  lagIntervalMs: 10_000,
} as const satisfies DefaultsOf<KafkaReceiverOptions>;

/** Topics of a signal when none are configured, as the Collector's kafka receiver (not an option: kept out of DEFAULTS). */
export const DEFAULT_SIGNAL_TOPICS = DEFAULT_TOPICS;

/**
 * librdkafka properties the receiver's at-least-once rests on: offsets are
 * stored only on acknowledgement, commits follow autoCommit, the group is groupId.
 */
export const OWNED_LIBRDKAFKA_KEYS: readonly OwnedKey[] = [
  {
    key: 'enable.auto.offset.store',
    reason: 'must stay false: offsets are stored only when delivered',
    allowed: [false],
  },
  { key: 'enable.auto.commit', reason: 'is set by autoCommit.enable' },
  { key: 'group.id', reason: 'is set by groupId' },
];

const positiveInt = z.number().int().positive();
const encoding = z.enum(KAFKA_ENCODINGS);
const signal = z.enum(['traces', 'metrics', 'logs']);
const topicName = z
  .string()
  .min(1)
  .refine((t) => !t.startsWith('^') || isRegex(t), 'invalid regular expression');
const signalTopics = z.strictObject({
  topics: z.array(topicName).min(1).readonly().optional(),
  encoding: encoding.optional(),
});

export const optionsSchema = z
  .strictObject({
    ...connectionShape(
      { clientId: DEFAULTS.clientId, connectTimeoutMs: DEFAULTS.connectTimeoutMs },
      OWNED_LIBRDKAFKA_KEYS,
    ),
    topic: topicName.optional(),
    topics: z.array(topicName).min(1).readonly().optional(),
    signal: signal.optional(),
    encoding: encoding.default(DEFAULTS.encoding),
    traces: signalTopics.optional(),
    metrics: signalTopics.optional(),
    logs: signalTopics.optional(),
    groupId: z.string().min(1).default(DEFAULTS.groupId),
    groupInstanceId: z.string().min(1).optional(),
    initialOffset: z.enum(['earliest', 'latest']).default(DEFAULTS.initialOffset),
    autoCommit: z
      .strictObject({
        enable: z.boolean().default(DEFAULTS.autoCommit.enable),
        intervalMs: positiveInt.default(DEFAULTS.autoCommit.intervalMs),
      })
      .default({ ...DEFAULTS.autoCommit }),
    sessionTimeoutMs: positiveInt.default(DEFAULTS.sessionTimeoutMs),
    heartbeatIntervalMs: positiveInt.default(DEFAULTS.heartbeatIntervalMs),
    minFetchBytes: positiveInt.default(DEFAULTS.minFetchBytes),
    maxFetchBytes: positiveInt.default(DEFAULTS.maxFetchBytes),
    maxPartitionFetchBytes: positiveInt.default(DEFAULTS.maxPartitionFetchBytes),
    maxFetchWaitMs: z.number().int().nonnegative().default(DEFAULTS.maxFetchWaitMs),
    rebalanceStrategy: z
      .enum(['cooperative-sticky', 'range', 'roundrobin', 'range,roundrobin'])
      .default(DEFAULTS.rebalanceStrategy),
    headerExtraction: z
      .strictObject({
        extractHeaders: z.boolean().default(DEFAULTS.headerExtraction.extractHeaders),
        headers: z.array(z.string().min(1)).readonly().default([]),
      })
      .default({ extractHeaders: false, headers: [] }),
    maxInFlightMessages: positiveInt.default(DEFAULTS.maxInFlightMessages),
    maxInFlightBytes: positiveInt.default(DEFAULTS.maxInFlightBytes),
    maxPollMessages: positiveInt.default(DEFAULTS.maxPollMessages),
    errorBackoff: z
      .strictObject({
        initialIntervalMs: positiveInt.default(DEFAULTS.errorBackoff.initialIntervalMs),
        maxIntervalMs: positiveInt.default(DEFAULTS.errorBackoff.maxIntervalMs),
        multiplier: z.number().min(1).default(DEFAULTS.errorBackoff.multiplier),
        randomizationFactor: z.number().min(0).max(1).default(DEFAULTS.errorBackoff.randomizationFactor),
      })
      .default({ ...DEFAULTS.errorBackoff }),
    deadLetterTopic: z.string().min(1).optional(),
    revokeTimeoutMs: positiveInt.default(DEFAULTS.revokeTimeoutMs),
    shutdownTimeoutMs: positiveInt.default(DEFAULTS.shutdownTimeoutMs),
    lagIntervalMs: positiveInt.default(DEFAULTS.lagIntervalMs),
    meterProvider: z.any().optional(),
    logger: z.any().optional(),
  })
  .superRefine((o, ctx) => {
    const sections = (['traces', 'metrics', 'logs'] as const).filter((s) => o[s] !== undefined);
    const flat = o.topic !== undefined || o.topics !== undefined;
    if (o.topic !== undefined && o.topics !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['topic'], message: 'give topic or topics, not both' });
    }
    if (flat && sections.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['topics'],
        message: `topics and per-signal sections (${sections.join(', ')}) are exclusive`,
      });
    }
    if (o.signal !== undefined && sections.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['signal'],
        message: 'signal applies to topic/topics; per-signal sections name their signal',
      });
    }
    if (o.heartbeatIntervalMs >= o.sessionTimeoutMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['heartbeatIntervalMs'],
        message: 'must be less than sessionTimeoutMs',
      });
    }
    if (o.errorBackoff.maxIntervalMs < o.errorBackoff.initialIntervalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['errorBackoff', 'maxIntervalMs'],
        message: 'must be at least initialIntervalMs',
      });
    }
    const seen = new Map<string, string>();
    for (const s of sections) {
      for (const t of o[s]?.topics ?? [DEFAULT_SIGNAL_TOPICS[s]]) {
        const other = seen.get(t);
        if (other !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [s, 'topics'],
            message: `topic "${t}" is also read as ${other}`,
          });
        seen.set(t, s);
      }
    }
    if (
      o.deadLetterTopic !== undefined &&
      [...seen.keys(), ...(o.topics ?? []), o.topic].includes(o.deadLetterTopic)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['deadLetterTopic'],
        message: 'must not be a topic this receiver reads',
      });
    }
  });

export type ParsedOptions = z.output<typeof optionsSchema>;

/** Compile-time: the schema accepts exactly the options of the interface. @typecheck */
export type OptionsCheck = Assert<SchemaMatches<z.input<typeof optionsSchema>, KafkaReceiverOptions>>;

function isRegex(topic: string): boolean {
  try {
    new RegExp(topic);
    return true;
  } catch {
    return false;
  }
}
