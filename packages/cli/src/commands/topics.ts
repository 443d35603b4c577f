import { kafkaTopicsOf, type KafkaTopicUse } from '@otlp-kafka/config';
import type { Signal } from '@otlp-kafka/core';
import { ensureTopics } from '@otlp-kafka/kafka-producer-exporter';
import { loadConfigFiles } from '../internal/config-files.js';
import { EXIT, type CliIo } from '../internal/io.js';

/** The seed's kafka-topics.sh settings, per signal: 24 h retention, 10 GB per partition (logs: 20 GB, 24 partitions). */
export const SEED_TOPIC_SETTINGS: Record<Signal, { partitions: number; replicationFactor: number; retentionMs: number; retentionBytes: number }> = {
  traces: { partitions: 12, replicationFactor: 3, retentionMs: 86_400_000, retentionBytes: 10_737_418_240 },
  metrics: { partitions: 12, replicationFactor: 3, retentionMs: 86_400_000, retentionBytes: 10_737_418_240 },
  logs: { partitions: 24, replicationFactor: 3, retentionMs: 86_400_000, retentionBytes: 21_474_836_480 },
};

export interface TopicsFlags {
  partitions?: number;
  replicationFactor?: number;
  retentionMs?: number;
  retentionBytes?: number;
  dryRun: boolean;
}

/**
 * Creates, idempotently, every topic the config reads or writes, with the
 * seed's partitions, replication and retention (flags override). The
 * replication factor is capped at the cluster's broker count, with a notice.
 */
export async function topicsCommand(configPaths: readonly string[], flags: TopicsFlags, io: CliIo): Promise<number> {
  const loaded = loadConfigFiles(configPaths);
  if (loaded.isErr()) {
    io.err(`invalid configuration:\n  ${loaded.error.join('\n  ')}`);
    return EXIT.config;
  }
  const uses = kafkaTopicsOf(loaded.value);
  if (uses.length === 0) {
    io.err('the configuration uses no Kafka topics');
    return EXIT.config;
  }
  const byBrokers = new Map<string, KafkaTopicUse[]>();
  for (const u of uses) byBrokers.set(u.brokers.join(','), [...(byBrokers.get(u.brokers.join(',')) ?? []), u]);
  let failed = false;
  for (const [brokers, list] of byBrokers) {
    const specs = list.map((u) => {
      const seed = SEED_TOPIC_SETTINGS[u.signal];
      return {
        topic: u.topic,
        partitions: flags.partitions ?? (u.role === 'dead-letter' ? 1 : seed.partitions),
        replicationFactor: flags.replicationFactor ?? seed.replicationFactor,
        config: {
          'retention.ms': String(flags.retentionMs ?? seed.retentionMs),
          'retention.bytes': String(flags.retentionBytes ?? seed.retentionBytes),
        },
      };
    });
    if (flags.dryRun) {
      for (const s of specs)
        io.out(`${brokers}  ${s.topic}  partitions=${s.partitions} replication=${s.replicationFactor} retention.ms=${s.config['retention.ms']} retention.bytes=${s.config['retention.bytes']}`);
      continue;
    }
    const results = await ensureTopics({ brokers: brokers.split(','), topics: specs, capReplicationToBrokers: true });
    for (const r of results) {
      if (r.isOk()) io.out(`${r.value.topic}: ${r.value.status}${r.value.note ? ` (${r.value.note})` : ''}`);
      else {
        failed = true;
        io.err(`${r.error.message}`);
      }
    }
  }
  return failed ? EXIT.failure : EXIT.ok;
}
