import { kafkaTopicsOf, type Registry } from '@otlp-kafka/config';
import {
  connectionOfSection,
  formatLagTable,
  groupLag,
  type KafkaConnectionOptions,
} from '@otlp-kafka/kafka-client';
import { DEFAULTS as RECEIVER_DEFAULTS } from '@otlp-kafka/kafka-consumer-receiver';
import { loadConfigFiles } from '../internal/config-files.js';
import { EXIT, type CliIo } from '../internal/io.js';

export interface LagFlags {
  brokers?: string;
  groups: readonly string[];
  topics: readonly string[];
  json: boolean;
  /** Config files: the lag of each kafka receiver's group, through its connection (TLS, SASL). */
  configs?: readonly string[];
}

interface LagQuery {
  group: string;
  connection: KafkaConnectionOptions;
  topics: readonly string[];
}

const USAGE =
  'usage: otlp-kafka lag --brokers host:port[,host:port] --group <group> [--group ...] [--topic <topic>] [--json]\n' +
  '       otlp-kafka lag --config gateway.yaml [--group <group>] [--topic <topic>] [--json]';

/** `otlp-kafka lag`: the seed's lag query without Prometheus, by flags or from a config's kafka receivers. */
export async function lagCommand(flags: LagFlags, io: CliIo, registry?: Registry): Promise<number> {
  const queries: LagQuery[] = [];
  if (flags.configs?.length) {
    for (const path of flags.configs) {
      const loaded = loadConfigFiles([path], registry);
      if (loaded.isErr()) {
        io.err(`invalid configuration:\n  ${loaded.error.join('\n  ')}`);
        return EXIT.config;
      }
      for (const u of kafkaTopicsOf(loaded.value)) {
        if (u.role !== 'receiver') continue;
        const group = u.groupId ?? RECEIVER_DEFAULTS.groupId;
        if (flags.groups.length && !flags.groups.includes(group)) continue;
        const connection = flags.brokers
          ? { ...connectionOfSection(u.section), brokers: flags.brokers }
          : connectionOfSection(u.section);
        const same = queries.find(
          (q) => q.group === group && JSON.stringify(q.connection) === JSON.stringify(connection),
        );
        if (same) same.topics = [...same.topics, u.topic];
        else queries.push({ group, connection, topics: [u.topic] });
      }
    }
    if (queries.length === 0) {
      io.err('the configuration has no kafka receiver' + (flags.groups.length ? ' with that group' : ''));
      return EXIT.config;
    }
    if (flags.topics.length) for (const q of queries) q.topics = flags.topics;
  } else {
    if (!flags.brokers || flags.groups.length === 0) {
      io.err(USAGE);
      return EXIT.config;
    }
    for (const group of flags.groups)
      queries.push({ group, connection: { brokers: flags.brokers }, topics: flags.topics });
  }
  try {
    const out: Record<string, unknown> = {};
    for (const q of queries) {
      const rows = await groupLag({
        ...q.connection,
        groupId: q.group,
        ...(q.topics.length ? { topics: q.topics } : {}),
      });
      if (flags.json) out[q.group] = rows;
      else io.out(formatLagTable(q.group, rows) + '\n');
    }
    if (flags.json) io.out(JSON.stringify(out, null, 2));
    return EXIT.ok;
  } catch (e) {
    io.err(`otlp-kafka lag: ${(e as Error).message}`);
    return EXIT.failure;
  }
}
