import { kafkaTopicsOf, type KafkaTopicUse, type Registry } from '@otlp-kafka/config';
import type { Signal } from '@otlp-kafka/core';
import {
  brokerCount,
  connectionOfSection,
  ensureTopics,
  securityProtocolOf,
  type KafkaConnectionOptions,
} from '@otlp-kafka/kafka-client';
import { loadConfigFiles } from '../internal/config-files.js';
import { EXIT, type CliIo } from '../internal/io.js';

/** The seed's kafka-topics.sh settings, per signal: 24 h retention, 10 GB per partition (logs: 20 GB, 24 partitions). */
export const SEED_TOPIC_SETTINGS: Record<
  Signal,
  { partitions: number; replicationFactor: number; retentionMs: number; retentionBytes: number }
> = {
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
export async function topicsCommand(
  configPaths: readonly string[],
  flags: TopicsFlags,
  io: CliIo,
  registry?: Registry,
): Promise<number> {
  // Each file on its own: an agent's and a gateway's config name the same topics from both sides.
  const uses: KafkaTopicUse[] = [];
  for (const path of configPaths) {
    const loaded = loadConfigFiles([path], registry);
    if (loaded.isErr()) {
      io.err(`invalid configuration:\n  ${loaded.error.join('\n  ')}`);
      return EXIT.config;
    }
    for (const u of kafkaTopicsOf(loaded.value)) {
      const same = uses.find((x) => x.topic === u.topic && x.brokers.join() === u.brokers.join());
      if (!same) uses.push(u);
      else if ((u.maxMessageBytes ?? 0) > (same.maxMessageBytes ?? 0))
        same.maxMessageBytes = u.maxMessageBytes;
    }
  }
  if (configPaths.length === 0) {
    io.err('usage: otlp-kafka topics --config file.yaml [--config ...]');
    return EXIT.config;
  }
  if (uses.length === 0) {
    io.err('the configuration uses no Kafka topics');
    return EXIT.config;
  }
  // One admin connection per cluster and way in: the section's brokers, TLS, SASL and librdkafka settings.
  const byConnection = new Map<string, { connection: KafkaConnectionOptions; list: KafkaTopicUse[] }>();
  for (const u of uses) {
    const connection = connectionOfSection(u.section);
    const key = JSON.stringify(connection);
    const entry = byConnection.get(key) ?? { connection, list: [] };
    entry.list.push(u);
    byConnection.set(key, entry);
  }
  let failed = false;
  for (const { connection, list } of byConnection.values()) {
    const brokers = list[0]!.brokers.join(',');
    const security = securityProtocolOf(connection);
    const specs = list.map((u) => {
      const seed = SEED_TOPIC_SETTINGS[u.signal];
      return {
        topic: u.topic,
        partitions: flags.partitions ?? (u.role === 'dead-letter' ? 1 : seed.partitions),
        replicationFactor: flags.replicationFactor ?? seed.replicationFactor,
        config: {
          'retention.ms': String(flags.retentionMs ?? seed.retentionMs),
          'retention.bytes': String(flags.retentionBytes ?? seed.retentionBytes),
          // A producer allowed larger records than the broker's default (1 MiB) needs the topic to accept them.
          ...(u.maxMessageBytes !== undefined && u.maxMessageBytes > 1_048_588
            ? { 'max.message.bytes': String(u.maxMessageBytes) }
            : {}),
        } as Record<string, string>,
      };
    });
    if (flags.dryRun) {
      for (const s of specs)
        io.out(
          `${brokers}  ${s.topic}  security=${security}  partitions=${s.partitions} replication=${s.replicationFactor} retention.ms=${s.config['retention.ms']} retention.bytes=${s.config['retention.bytes']}`,
        );
      continue;
    }
    const available = await brokerCount(connection);
    for (const s of specs) {
      if (s.replicationFactor > available) {
        io.err(
          `${s.topic}: replication factor ${s.replicationFactor} capped to ${available}: the cluster has ${available} broker(s)`,
        );
        s.replicationFactor = available;
      }
    }
    const results = await ensureTopics({ ...connection, topics: specs });
    for (const r of results) {
      if (r.isOk())
        io.out(
          `${r.value.topic}: ${r.value.status}${r.value.notes.length ? ` (${r.value.notes.join('; ')})` : ''}`,
        );
      else {
        failed = true;
        io.err(`${r.error.message}`);
      }
    }
  }
  return failed ? EXIT.failure : EXIT.ok;
}
