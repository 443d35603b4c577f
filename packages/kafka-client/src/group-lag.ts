import { parseOptions } from '@otlp-kafka/core';
import { z } from 'zod';
import { connectionShape, type KafkaConnectionOptions, type LibrdkafkaConfig } from './connection.js';
import { classifyConnectLog, connectFailureError } from './connect-failure.js';
import { clientConfig } from './librdkafka-config.js';
import { loadKafka } from './native.js';

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

export interface GroupLagOptions extends KafkaConnectionOptions {
  groupId: string;
  /** Default: the topics the group has committed offsets for. */
  topics?: readonly string[];
}

/** The admin calls group lag needs (the KafkaJS-style admin of @confluentinc/kafka-javascript); tests inject a fake. */
export interface LagAdmin {
  connect(): Promise<void>;
  fetchOffsets(o: {
    groupId: string;
    topics?: string[];
  }): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
  fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; high: string; low: string }>>;
  disconnect(): Promise<void>;
}

export type LagAdminFactory = (config: LibrdkafkaConfig) => LagAdmin | Promise<LagAdmin>;

export const GROUP_LAG_DEFAULTS = { clientId: 'otlp-kafka', connectTimeoutMs: 10_000 } as const;

const schema = z.strictObject({
  ...connectionShape(GROUP_LAG_DEFAULTS),
  groupId: z.string().min(1),
  topics: z.array(z.string().min(1)).readonly().optional(),
});

/** Longer than the admin's default request timeout (5 s). */
const REFUSED_DISCONNECT_DELAY_MS = 6000;

const nativeLagAdmin: LagAdminFactory = async (config) => {
  const { KafkaJS } = await loadKafka();
  // librdkafka logs why a broker refused the credentials or the TLS handshake, and nothing
  // else says it (connect() ends with "Timed out"): a logger that only watches for that.
  let refuse: (e: Error) => void = () => undefined;
  let wasRefused = false;
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  refused.catch(() => (wasRefused = true));
  refused.catch(() => undefined);
  const watch = (message: unknown): void => {
    const failure = typeof message === 'string' ? classifyConnectLog(message) : undefined;
    if (failure) refuse(connectFailureError(failure.kind, failure.explanation));
  };
  const logger = {
    error: watch,
    warn: watch,
    info: () => undefined,
    debug: () => undefined,
    setLogLevel: () => undefined,
    namespace: () => logger,
  };
  // librdkafka properties at the top level; the KafkaJS block only routes its log.
  const common = {
    ...config,
    kafkaJS: { logLevel: KafkaJS.logLevel.ERROR, logger },
  } as unknown as ConstructorParameters<typeof KafkaJS.Kafka>[0];
  const admin = new KafkaJS.Kafka(common).admin() as unknown as LagAdmin;
  // The admin's connect() does not wait for a broker: the first request is what fails.
  const orRefused = <T>(p: Promise<T>): Promise<T> => Promise.race([p, refused]);
  return {
    connect: () => orRefused(admin.connect()),
    fetchOffsets: (o) => orRefused(admin.fetchOffsets(o)),
    fetchTopicOffsets: (topic) => orRefused(admin.fetchTopicOffsets(topic)),
    // After a refusal the admin's disconnect blocks the event loop until the request still
    // pending times out (5 s): it is done once that request has ended, off the caller's path.
    disconnect: () => {
      if (!wasRefused) return admin.disconnect();
      setTimeout(() => void admin.disconnect().catch(() => undefined), REFUSED_DISCONNECT_DELAY_MS).unref();
      return Promise.resolve();
    },
  };
};

/** Per-partition lag of a consumer group: high watermark minus committed offset. */
export function groupLag(options: GroupLagOptions): Promise<PartitionLagRow[]> {
  return groupLagWith(options, nativeLagAdmin);
}

/** Internal: with an injected admin factory. */
export async function groupLagWith(
  options: GroupLagOptions,
  factory: LagAdminFactory,
): Promise<PartitionLagRow[]> {
  const o = parseOptions('groupLag', schema, options);
  const admin = await factory(clientConfig(o, { 'socket.connection.setup.timeout.ms': o.connectTimeoutMs }));
  await admin.connect();
  try {
    const groupId = o.groupId;
    const committed = await admin.fetchOffsets(o.topics ? { groupId, topics: [...o.topics] } : { groupId });
    // Partitions the group never committed are missing from fetchOffsets: list every partition.
    const names = o.topics ?? committed.map((t) => t.topic);
    const rows: PartitionLagRow[] = [];
    for (const topic of names) {
      const done = committed.find((t) => t.topic === topic)?.partitions ?? [];
      for (const w of await admin.fetchTopicOffsets(topic)) {
        const high = Number(w.high);
        const low = Number(w.low);
        const c = Number(done.find((p) => p.partition === w.partition)?.offset ?? -1);
        rows.push({
          topic,
          partition: w.partition,
          committed: c,
          high,
          low,
          lag: Math.max(0, high - (c >= 0 ? c : low)),
        });
      }
    }
    return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

/** The rows as `kafka-consumer-groups.sh --describe` shows them, with a total. */
export function formatLagTable(groupId: string, rows: readonly PartitionLagRow[]): string {
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'HIGH', 'LAG'];
  const lines = rows.map((r) => [
    groupId,
    r.topic,
    String(r.partition),
    r.committed < 0 ? '-' : String(r.committed),
    String(r.high),
    String(r.lag),
  ]);
  const total = rows.reduce((s, r) => s + r.lag, 0);
  lines.push([groupId, '(total)', '', '', '', String(total)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines]
    .map((l) =>
      l
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
