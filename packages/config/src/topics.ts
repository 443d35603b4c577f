import type { Signal } from '@otlp-kafka/core';
import type { ParsedConfig } from './parse.js';

/** The Kafka topic a kafka component uses for a signal when the config names none (the Collector's defaults). */
export const DEFAULT_KAFKA_TOPICS: Record<Signal, string> = {
  traces: 'otlp_spans',
  metrics: 'otlp_metrics',
  logs: 'otlp_logs',
};

export interface KafkaTopicUse {
  topic: string;
  signal: Signal;
  brokers: readonly string[];
  /** Who uses it: a kafka exporter writes, a kafka receiver reads, a dead-letter topic takes refused records. */
  role: 'exporter' | 'receiver' | 'dead-letter';
  componentId: string;
  /** The largest record an exporter writing this topic may produce (producer.max_message_bytes). */
  maxMessageBytes?: number;
  /** A receiver's consumer group (group_id), when the config names one. */
  groupId?: string;
  /**
   * The component's validated config section, from which the Kafka layer reads
   * the connection (tls, auth, librdkafka): this package knows no Kafka client.
   */
  section: unknown;
}

type SignalSections<T> = Partial<Record<Signal, T>>;

/**
 * Every Kafka topic a config writes or reads, with its signal: what `otlp-kafka
 * topics` creates. It reads the validated sections of `kafka` components by the
 * Collector's key names (flat `topic`/`topics` or per-signal sections), whichever
 * factory is registered for the type.
 */
export function kafkaTopicsOf(config: ParsedConfig): KafkaTopicUse[] {
  const uses: KafkaTopicUse[] = [];
  for (const [pid, p] of Object.entries(config.service.pipelines)) {
    const signal = pid.split('/')[0] as Signal;
    for (const id of p.exporters) {
      const c = config.exporters.get(id);
      if (c?.type !== 'kafka') continue;
      const cfg = c.config as {
        topic?: string;
        brokers?: string[];
        producer?: { max_message_bytes?: number };
      } & SignalSections<{ topic?: string }>;
      uses.push({
        topic: cfg.topic ?? cfg[signal]?.topic ?? DEFAULT_KAFKA_TOPICS[signal],
        signal,
        brokers: cfg.brokers ?? ['localhost:9092'],
        role: 'exporter',
        componentId: id,
        maxMessageBytes: cfg.producer?.max_message_bytes,
        section: c.config,
      });
    }
    for (const id of p.receivers) {
      const c = config.receivers.get(id);
      if (c?.type !== 'kafka') continue;
      const cfg = c.config as {
        topic?: string;
        topics?: string[];
        brokers?: string[];
        dead_letter_topic?: string;
        group_id?: string;
      } & SignalSections<{
        topic?: string;
        topics?: string[];
      }>;
      const brokers = cfg.brokers ?? ['localhost:9092'];
      const section = cfg[signal];
      const named = section
        ? (section.topics ?? (section.topic ? [section.topic] : undefined))
        : (cfg.topics ?? (cfg.topic ? [cfg.topic] : undefined));
      const common = { signal, brokers, componentId: id, section: c.config, groupId: cfg.group_id };
      for (const topic of named ?? [DEFAULT_KAFKA_TOPICS[signal]])
        if (!topic.startsWith('^')) uses.push({ ...common, topic, role: 'receiver' });
      if (cfg.dead_letter_topic) uses.push({ ...common, topic: cfg.dead_letter_topic, role: 'dead-letter' });
    }
  }
  const seen = new Set<string>();
  return uses.filter((u) =>
    seen.has(u.topic + '|' + u.brokers.join()) ? false : (seen.add(u.topic + '|' + u.brokers.join()), true),
  );
}
