import { byteSize, defined, duration } from '@otlp-kafka/core';
import { connectionOfConfig, kafkaConnectionConfig, kafkaEncodingConfig } from '@otlp-kafka/kafka-client';
import { z } from 'zod';
import type { KafkaReceiverOptions } from '../options.js';

// The Collector's kafka receiver config. Both the seed's key names (topic / topics,
// auto_commit) and the Collector v0.165 ones (per-signal traces: {topics}, autocommit)
// are accepted. Strict: an unknown option is an error.

const topic = z.string().min(1);
const autoCommit = z.strictObject({ enable: z.boolean().optional(), interval: duration.optional() });
const signalTopics = z.strictObject({
  topics: z.array(topic).min(1).optional(),
  /** The older Collector spelling, one topic. */
  topic: topic.optional(),
  encoding: kafkaEncodingConfig.optional(),
});

export const configSchema = z
  .strictObject({
    ...kafkaConnectionConfig,
    topic: topic.optional(),
    topics: z.array(topic).min(1).optional(),
    encoding: kafkaEncodingConfig.optional(),
    traces: signalTopics.optional(),
    metrics: signalTopics.optional(),
    logs: signalTopics.optional(),
    group_id: z.string().min(1).optional(),
    group_instance_id: z.string().optional(),
    initial_offset: z.enum(['earliest', 'latest']).optional(),
    autocommit: autoCommit.optional(),
    auto_commit: autoCommit.optional(),
    session_timeout: duration.optional(),
    heartbeat_interval: duration.optional(),
    group_rebalance_strategy: z.enum(['cooperative-sticky', 'range', 'roundrobin']).optional(),
    min_fetch_size: z.number().int().positive().optional(),
    default_fetch_size: z.number().int().positive().optional(),
    max_partition_fetch_size: z.number().int().positive().optional(),
    max_fetch_size: z.number().int().positive().optional(),
    max_fetch_wait: duration.optional(),
    header_extraction: z
      .strictObject({ extract_headers: z.boolean().optional(), headers: z.array(z.string()).optional() })
      .optional(),
    error_backoff: z
      .strictObject({
        // Retryable failures always back off and are redelivered; turning that off is not offered.
        enabled: z
          .literal(true, {
            error: () =>
              'error_backoff cannot be disabled: retryable failures are always redelivered after a backoff',
          })
          .optional(),
        initial_interval: duration.optional(),
        max_interval: duration.optional(),
        multiplier: z.number().min(1).optional(),
        randomization_factor: z.number().min(0).max(1).optional(),
      })
      .optional(),
    // The Collector's default marks (commits) before delivery; we always mark after, so
    // only the settings that mean exactly that are accepted.
    message_marking: z
      .strictObject({
        after: z
          .literal(true, {
            error: () => 'otlp-kafka always marks messages after delivery; after: false would lose data',
          })
          .optional(),
        on_error: z.boolean().optional(),
      })
      .optional(),
    dead_letter_topic: z.string().min(1).optional(),
    max_in_flight_messages: z.number().int().positive().optional(),
    max_in_flight_bytes: byteSize.optional(),
  })
  .superRefine((c, ctx) => {
    const sections = (['traces', 'metrics', 'logs'] as const).filter((s) => c[s] !== undefined);
    if (c.topic !== undefined && c.topics !== undefined)
      ctx.addIssue({ code: 'custom', path: ['topic'], message: 'give topic or topics, not both' });
    if ((c.topic ?? c.topics) !== undefined && sections.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['topics'],
        message: `topic/topics and per-signal sections (${sections.join(', ')}) are exclusive`,
      });
    for (const s of sections)
      if (c[s]!.topic !== undefined && c[s]!.topics !== undefined)
        ctx.addIssue({ code: 'custom', path: [s, 'topic'], message: 'give topic or topics, not both' });
    if (c.autocommit && c.auto_commit)
      ctx.addIssue({
        code: 'custom',
        path: ['auto_commit'],
        message: "give autocommit (the Collector's name) or auto_commit, not both",
      });
    if (c.default_fetch_size !== undefined && c.max_partition_fetch_size !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['default_fetch_size'],
        message: 'give default_fetch_size or max_partition_fetch_size, not both',
      });
  });

export type KafkaReceiverConfig = z.output<typeof configSchema>;

/** The topics the config names for a signal, or undefined for the default topic. */
export function topicsOf(
  c: KafkaReceiverConfig,
  signal: 'traces' | 'metrics' | 'logs',
): string[] | undefined {
  const s = c[signal];
  if (s) return s.topics ?? (s.topic ? [s.topic] : undefined);
  return c.topics ?? (c.topic ? [c.topic] : undefined);
}

/** Config -> options, without the topics (the factory assigns them to the pipelines' signals). */
export function toOptions(c: KafkaReceiverConfig): KafkaReceiverOptions {
  const commit = c.autocommit ?? c.auto_commit;
  return defined({
    ...connectionOfConfig(c),
    encoding: c.encoding,
    groupId: c.group_id,
    groupInstanceId: c.group_instance_id,
    initialOffset: c.initial_offset,
    autoCommit: commit ? defined({ enable: commit.enable, intervalMs: commit.interval }) : undefined,
    sessionTimeoutMs: c.session_timeout,
    heartbeatIntervalMs: c.heartbeat_interval,
    rebalanceStrategy: c.group_rebalance_strategy,
    minFetchBytes: c.min_fetch_size,
    maxPartitionFetchBytes: c.default_fetch_size ?? c.max_partition_fetch_size,
    maxFetchBytes: c.max_fetch_size,
    maxFetchWaitMs: c.max_fetch_wait,
    headerExtraction: c.header_extraction
      ? defined({ extractHeaders: c.header_extraction.extract_headers, headers: c.header_extraction.headers })
      : undefined,
    errorBackoff: c.error_backoff
      ? defined({
          initialIntervalMs: c.error_backoff.initial_interval,
          maxIntervalMs: c.error_backoff.max_interval,
          multiplier: c.error_backoff.multiplier,
          randomizationFactor: c.error_backoff.randomization_factor,
        })
      : undefined,
    deadLetterTopic: c.dead_letter_topic,
    maxInFlightMessages: c.max_in_flight_messages,
    maxInFlightBytes: c.max_in_flight_bytes,
  });
}
