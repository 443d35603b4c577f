import { parseOptions, PipelineError, toPipelineError } from '@otlp-kafka/core';
import type { Result } from 'ts-results-es';
import { z } from 'zod';
import { connectionShape, type KafkaConnectionOptions } from './connection.js';
import { ensureOne } from './internal/admin-ops.js';
import { nativeAdminFactory, type RdAdmin, type RdAdminFactory } from './internal/rdkafka-admin.js';
import { clientConfig } from './librdkafka-config.js';
import type { EnsuredTopic, TopicError } from './topic-result.js';

/** One topic as it should exist. */
export interface TopicSpec {
  topic: string;
  /** Default: the broker's num.partitions. */
  partitions?: number;
  /** Default: the broker's default.replication.factor. */
  replicationFactor?: number;
  /** Topic configuration at creation, e.g. { 'retention.ms': 86400000, 'retention.bytes': 1e9 }. */
  config?: Readonly<Record<string, string | number>>;
}

export interface EnsureTopicsOptions extends KafkaConnectionOptions {
  topics: readonly TopicSpec[];
  /** Add partitions to an existing topic that has fewer than asked. Default false (reported as an error). */
  increasePartitions?: boolean;
  /** Bound on each admin request. Default 30000. */
  timeoutMs?: number;
}

export const ENSURE_DEFAULTS = {
  clientId: 'otlp-kafka',
  connectTimeoutMs: 30_000,
  increasePartitions: false,
  timeoutMs: 30_000,
} as const;

const schema = z.strictObject({
  ...connectionShape(ENSURE_DEFAULTS),
  topics: z
    .array(
      z.strictObject({
        topic: z
          .string()
          .min(1)
          .max(249)
          .regex(/^[a-zA-Z0-9._-]+$/, 'a Kafka topic name'),
        partitions: z.number().int().positive().optional(),
        replicationFactor: z.number().int().positive().optional(),
        config: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
      }),
    )
    .min(1),
  increasePartitions: z.boolean().default(ENSURE_DEFAULTS.increasePartitions),
  timeoutMs: z.number().int().positive().default(ENSURE_DEFAULTS.timeoutMs),
});

/**
 * Creates the topics that do not exist, idempotently, through the Kafka
 * AdminClient, and reports on those that do: fewer partitions than asked is
 * an error (partitions can only grow; `increasePartitions: true` grows them),
 * more partitions or another replication factor is a note, left unchanged.
 * Resolves with one Result per topic, in order; never rejects for a topic's
 * problem (rejects with ERR_INVALID_OPTIONS for bad options).
 */
export function ensureTopics(options: EnsureTopicsOptions): Promise<Array<Result<EnsuredTopic, TopicError>>> {
  return ensureTopicsWith(options, nativeAdminFactory);
}

/** Internal: with an injected AdminClient factory. */
export async function ensureTopicsWith(
  options: EnsureTopicsOptions,
  factory: RdAdminFactory,
): Promise<Array<Result<EnsuredTopic, TopicError>>> {
  const o = parseOptions('ensureTopics', schema, options);
  const config = clientConfig(o, { 'socket.connection.setup.timeout.ms': o.connectTimeoutMs });
  let admin: RdAdmin;
  try {
    admin = await factory(config);
  } catch (e) {
    throw new PipelineError(
      'ERR_INVALID_OPTIONS',
      `ensureTopics: invalid librdkafka configuration: ${toPipelineError(e).message}`,
      {
        cause: e,
      },
    );
  }
  try {
    const results: Array<Result<EnsuredTopic, TopicError>> = [];
    for (const spec of o.topics)
      results.push(await ensureOne(admin, spec, o.increasePartitions, o.timeoutMs));
    return results;
  } finally {
    admin.disconnect();
  }
}
