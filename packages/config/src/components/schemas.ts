import { z } from 'zod';
import { byteSize, duration } from '@otlp-kafka/core';
import { brokers, kafkaAuth, kafkaEncoding, kafkaTls } from './common.js';

// Collector-compatible option names (snake_case). Strict: an unknown option is
// an error, so nothing a user wrote is silently ignored.

export const kafkaReceiverSchema = z.strictObject({
  brokers: brokers.optional(),
  client_id: z.string().optional(),
  topic: z.string().min(1).optional(),
  topics: z.array(z.string().min(1)).min(1).optional(),
  encoding: kafkaEncoding.optional(),
  group_id: z.string().min(1).optional(),
  group_instance_id: z.string().optional(),
  initial_offset: z.enum(['earliest', 'latest']).optional(),
  auto_commit: z.strictObject({ enable: z.boolean().optional(), interval: duration.optional() }).optional(),
  session_timeout: duration.optional(),
  heartbeat_interval: duration.optional(),
  group_rebalance_strategy: z.enum(['cooperative-sticky', 'range', 'roundrobin']).optional(),
  min_fetch_size: z.number().int().positive().optional(),
  default_fetch_size: z.number().int().positive().optional(),
  max_fetch_size: z.number().int().positive().optional(),
  max_fetch_wait: duration.optional(),
  header_extraction: z
    .strictObject({ extract_headers: z.boolean().optional(), headers: z.array(z.string()).optional() })
    .optional(),
  error_backoff: z
    .strictObject({
      // Retryable failures always back off and are redelivered; turning that off is not offered.
      enabled: z.literal(true, { error: () => 'error_backoff cannot be disabled: retryable failures are always redelivered after a backoff' }).optional(),
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
      after: z.literal(true, { error: () => 'otlp-kafka always marks messages after delivery; after: false would lose data' }).optional(),
      on_error: z.boolean().optional(),
    })
    .optional(),
  dead_letter_topic: z.string().min(1).optional(),
  max_in_flight_messages: z.number().int().positive().optional(),
  max_in_flight_bytes: byteSize.optional(),
  tls: kafkaTls.optional(),
  auth: kafkaAuth.optional(),
  librdkafka: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export const batchSchema = z.strictObject({
  send_batch_size: z.number().int().nonnegative().optional(),
  send_batch_max_size: z.number().int().nonnegative().optional(),
  timeout: duration.optional(),
  // Ours (group commit; the Collector's batch processor acknowledges before sending).
  max_concurrent_sends: z.number().int().positive().optional(),
  linger: duration.optional(),
  metadata_keys: z.array(z.string()).optional(),
  metadata_cardinality_limit: z.number().int().positive().optional(),
});
