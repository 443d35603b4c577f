import type { TopicPartition, TopicPartitionOffset, WatermarkOffsets } from '@otlp-kafka/kafka-client';
import { OFFSET_INVALID, partitionKey } from './client.js';

/** One partition's position against its log end. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The log end offset (next offset to be written). */
  readonly highWatermark: number;
  /** The group's committed offset; undefined when the group has none for it yet. */
  readonly committedOffset: number | undefined;
  /** highWatermark - committedOffset; undefined without a committed offset (as kafka-consumer-groups shows "-"). */
  readonly lag: number | undefined;
}

export interface LagSource {
  /** Partitions owned right now. */
  owned(): TopicPartition[];
  watermarks(topic: string, partition: number): Promise<WatermarkOffsets>;
  committed(partitions: TopicPartition[]): Promise<TopicPartitionOffset[]>;
}

/**
 * Lag per owned partition against the broker's committed offsets. Refreshed
 * on a timer for the gauge (whose callback must be synchronous) and on demand;
 * partitions no longer owned drop out of every answer.
 */
export class LagMonitor {
  private cache = new Map<string, PartitionLag>();

  constructor(private readonly source: LagSource) {}

  async refresh(): Promise<PartitionLag[]> {
    const owned = this.source.owned();
    if (owned.length === 0) {
      this.cache = new Map();
      return [];
    }
    const [committed, marks] = await Promise.all([
      this.source.committed(owned),
      Promise.all(owned.map((tp) => this.source.watermarks(tp.topic, tp.partition))),
    ]);
    const byKey = new Map(committed.map((c) => [partitionKey(c.topic, c.partition), c.offset]));
    const fresh = new Map<string, PartitionLag>();
    owned.forEach((tp, i) => {
      const key = partitionKey(tp.topic, tp.partition);
      const c = byKey.get(key);
      const committedOffset = c === undefined || c < 0 || c === OFFSET_INVALID ? undefined : c;
      const high = marks[i]!.highOffset;
      fresh.set(key, {
        topic: tp.topic,
        partition: tp.partition,
        highWatermark: high,
        committedOffset,
        lag: committedOffset === undefined ? undefined : Math.max(0, high - committedOffset),
      });
    });
    // Partitions revoked while the queries ran must not come back.
    const still = new Set(this.source.owned().map((tp) => partitionKey(tp.topic, tp.partition)));
    for (const key of [...fresh.keys()]) if (!still.has(key)) fresh.delete(key);
    this.cache = fresh;
    return [...fresh.values()];
  }

  forget(topic: string, partition: number): void {
    this.cache.delete(partitionKey(topic, partition));
  }

  /** The last refreshed values of partitions still owned. */
  snapshot(): PartitionLag[] {
    return [...this.cache.values()];
  }
}
