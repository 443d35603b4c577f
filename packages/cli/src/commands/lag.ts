import { formatLagTable, groupLag } from '@otlp-kafka/kafka-client';
import { EXIT, type CliIo } from '../internal/io.js';

/** `otlp-kafka lag --brokers a:9092,b:9092 --group g [--topic t] [--json]`: the seed's lag query without Prometheus. */
export async function lagCommand(
  opts: { brokers?: string; groups: readonly string[]; topics: readonly string[]; json: boolean },
  io: CliIo,
): Promise<number> {
  if (!opts.brokers || opts.groups.length === 0) {
    io.err(
      'usage: otlp-kafka lag --brokers host:port[,host:port] --group <group> [--group ...] [--topic <topic>] [--json]',
    );
    return EXIT.config;
  }
  const brokers = opts.brokers;
  try {
    const out: Record<string, unknown> = {};
    for (const group of opts.groups) {
      const rows = await groupLag({
        brokers,
        groupId: group,
        ...(opts.topics.length ? { topics: opts.topics } : {}),
      });
      if (opts.json) out[group] = rows;
      else io.out(formatLagTable(group, rows) + '\n');
    }
    if (opts.json) io.out(JSON.stringify(out, null, 2));
    return EXIT.ok;
  } catch (e) {
    io.err(`otlp-kafka lag: ${(e as Error).message}`);
    return EXIT.failure;
  }
}
