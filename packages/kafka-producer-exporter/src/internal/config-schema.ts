import { defined, duration, type Signal } from '@otlp-kafka/core';
import { connectionOfConfig, kafkaConnectionConfig, kafkaEncodingConfig } from '@otlp-kafka/kafka-client';
import { z } from 'zod';
import type { KafkaExporterOptions } from '../options.js';

// The Collector's kafka exporter config: the seed's flat `topic` / `encoding` and the
// Collector v0.165 per-signal `traces: {topic, encoding}` are both accepted. Strict:
// an unknown option is an error.

const signalTopic = z.strictObject({
  topic: z.string().min(1).optional(),
  encoding: kafkaEncodingConfig.optional(),
});

/**
 * The Collector's sending_queue. Here it only means a disk spool (`storage:
 * file_storage/<id>`): an in-memory queue would answer the client before Kafka
 * acknowledged, which this exporter never does, so `enabled: true` without a
 * storage is an error saying so. queue_size counts `sizer` units (requests by
 * default, as in the Collector); num_consumers is the spool's forwarding concurrency.
 */
const sendingQueue = z
  .strictObject({
    enabled: z.boolean().optional(),
    storage: z.string().min(1).optional(),
    queue_size: z.number().int().positive().optional(),
    sizer: z.enum(['requests', 'items', 'bytes']).optional(),
    num_consumers: z.number().int().positive().optional(),
  })
  .superRefine((q, ctx) => {
    if (q.enabled !== false && q.storage === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['storage'],
        message:
          'an in-memory sending queue would acknowledge data before Kafka has it; otlp-kafka answers only after Kafka acknowledged. For a disk spool set storage: file_storage/<id> (an extension), or remove sending_queue',
      });
  });

export const configSchema = z
  .strictObject({
    ...kafkaConnectionConfig,
    topic: z.string().min(1).optional(),
    traces: signalTopic.optional(),
    metrics: signalTopic.optional(),
    logs: signalTopic.optional(),
    topic_from_attribute: z.string().min(1).optional(),
    topic_from_metadata_key: z.string().min(1).optional(),
    allowed_topics: z.array(z.string()).optional(),
    encoding: kafkaEncodingConfig.optional(),
    partition_traces_by_id: z.boolean().optional(),
    partition_metrics_by_resource_attributes: z.boolean().optional(),
    partition_logs_by_resource_attributes: z.boolean().optional(),
    partition_logs_by_trace_id: z.boolean().optional(),
    timeout: duration.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    include_metadata_keys: z.array(z.string()).optional(),
    sending_queue: sendingQueue.optional(),
    producer: z
      .strictObject({
        max_message_bytes: z.number().int().positive().optional(),
        required_acks: z
          .union([z.literal(0), z.literal(1), z.literal(-1)], {
            error: () => 'required_acks must be 0, 1 or -1 (all in-sync replicas)',
          })
          .optional(),
        compression: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).optional(),
        flush_max_messages: z.number().int().nonnegative().optional(),
        linger: duration.optional(),
        idempotent: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const sections = (['traces', 'metrics', 'logs'] as const).filter((s) => c[s]?.topic !== undefined);
    if (c.topic !== undefined && sections.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['topic'],
        message: `topic and per-signal topics (${sections.join(', ')}) are exclusive`,
      });
  });

export type KafkaExporterConfig = z.output<typeof configSchema>;

/**
 * Config -> options for the signals the exporter serves. A flat `topic` applies
 * to every one of them, as in the Collector. One exporter has one encoding, so
 * per-signal encodings must agree.
 */
export function toOptions(c: KafkaExporterConfig, signals: readonly Signal[]): KafkaExporterOptions {
  const p = c.producer;
  const topics = Object.fromEntries(
    signals.flatMap((s) => {
      const t = c.topic ?? c[s]?.topic;
      return t ? [[s, t]] : [];
    }),
  );
  const encodings = [
    ...new Set(signals.map((s) => c[s]?.encoding ?? c.encoding).filter((e) => e !== undefined)),
  ];
  if (encodings.length > 1)
    throw new Error(
      `the ${signals.join(', ')} pipelines ask for encodings ${encodings.join(' and ')}: define one kafka/<name> exporter per encoding`,
    );
  return defined({
    ...connectionOfConfig(c),
    topics: Object.keys(topics).length > 0 ? topics : undefined,
    topicFromAttribute: c.topic_from_attribute,
    topicFromMetadataKey: c.topic_from_metadata_key,
    allowedTopics: c.allowed_topics,
    encoding: encodings[0],
    partitionTracesById: c.partition_traces_by_id,
    partitionMetricsByResourceAttributes: c.partition_metrics_by_resource_attributes,
    partitionLogsByResourceAttributes: c.partition_logs_by_resource_attributes,
    partitionLogsByTraceId: c.partition_logs_by_trace_id,
    headers: c.headers,
    headersFromMetadata: c.include_metadata_keys,
    producer:
      p || c.timeout !== undefined
        ? defined({
            maxMessageBytes: p?.max_message_bytes,
            requiredAcks: p?.required_acks,
            compression: p?.compression,
            flushMaxMessages: p?.flush_max_messages,
            lingerMs: p?.linger,
            enableIdempotence: p?.idempotent,
            messageTimeoutMs: c.timeout,
          })
        : undefined,
  });
}
