import { KafkaJS } from '@confluentinc/kafka-javascript';

export interface PartitionLagRow {
  topic: string;
  partition: number;
  /** Committed offset of the group, or -1 when it has committed nothing. */
  committed: number;
  /** High watermark: the offset the next record will get. */
  high: number;
  low: number;
  /** Records not yet committed by the group (from the low watermark when nothing is committed). */
  lag: number;
}

/** Per-partition lag of a consumer group: high watermark minus committed offset. */
export async function groupLag(brokers: readonly string[], groupId: string, topics?: readonly string[]): Promise<PartitionLagRow[]> {
  const admin = new KafkaJS.Kafka({ kafkaJS: { brokers: [...brokers], logLevel: KafkaJS.logLevel.NOTHING } }).admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets(topics ? { groupId, topics: [...topics] } : { groupId });
    // Partitions the group never committed are missing from fetchOffsets: list every partition.
    const names = topics ?? committed.map((t) => t.topic);
    const rows: PartitionLagRow[] = [];
    for (const topic of names) {
      const done = committed.find((t) => t.topic === topic)?.partitions ?? [];
      for (const w of await admin.fetchTopicOffsets(topic)) {
        const high = Number(w.high);
        const low = Number(w.low);
        const c = Number(done.find((p) => p.partition === w.partition)?.offset ?? -1);
        rows.push({ topic, partition: w.partition, committed: c, high, low, lag: Math.max(0, high - (c >= 0 ? c : low)) });
      }
    }
    return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

export function formatLagTable(groupId: string, rows: readonly PartitionLagRow[]): string {
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'HIGH', 'LAG'];
  const lines = rows.map((r) => [groupId, r.topic, String(r.partition), r.committed < 0 ? '-' : String(r.committed), String(r.high), String(r.lag)]);
  const total = rows.reduce((s, r) => s + r.lag, 0);
  lines.push([groupId, '(total)', '', '', '', String(total)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
