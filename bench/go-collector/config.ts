// Knobs of bench/go-collector (environment variables, all optional). The load shape defaults to
// bench/agent's and bench/gateway's, so the numbers line up with theirs.
const num = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`);
  return n;
};
const list = (name: string, fallback: string): string[] =>
  (process.env[name]?.trim() || fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const CONFIG = {
  brokers: process.env.KAFKA_BROKERS?.trim() || '127.0.0.1:39092',
  /** Which comparisons to run: agent (OTLP/HTTP -> Kafka) and/or gateway (Kafka -> OTLP/HTTP). */
  directions: list('BENCH_DIRECTIONS', 'agent,gateway'),
  /** Go Collector set-ups for the agent direction (see README): batch (batch processor) and/or queue (exporter batching, wait_for_result). */
  goVariants: list('BENCH_GO_VARIANTS', 'batch,queue'),
  rounds: num('BENCH_ROUNDS', 3),
  partitions: num('BENCH_PARTITIONS', 4),
  attributeBytes: num('BENCH_ATTRIBUTE_BYTES', 64),
  /** Kafka topic max.message.bytes: the Go exporter writes whole 8192-span batches (~1.3 MB) as one record. */
  topicMaxMessageBytes: num('BENCH_TOPIC_MAX_MESSAGE_BYTES', 4 * 1024 * 1024),
  // agent direction
  spansPerRequest: num('BENCH_SPANS_PER_REQUEST', 512),
  concurrency: num('BENCH_CONCURRENCY', 32),
  maxSpans: num('BENCH_MAX_SPANS', 1_000_000),
  durationMs: num('BENCH_DURATION_MS', 20_000),
  warmupMs: num('BENCH_WARMUP_MS', 2_000),
  poolSize: num('BENCH_POOL', 64),
  // gateway direction
  spansPerMessage: num('BENCH_SPANS_PER_MESSAGE', 4096),
  messages: num('BENCH_MESSAGES', 250),
  gatewayPool: num('BENCH_GATEWAY_POOL', 16),
  timeoutMs: num('BENCH_TIMEOUT_MS', 120_000),
  // latency mode (latency.ts): the seed's agent pipeline under SDK-like serial clients
  /** Offered rates in spans/s, and the serial clients sharing each (same length, position by position). */
  latencyRates: list('BENCH_LATENCY_RATES', '1000,10000,150000').map(Number),
  latencyClients: list('BENCH_LATENCY_CLIENTS', '1,4,32').map(Number),
  latencyDurationMs: num('BENCH_LATENCY_DURATION_MS', 20_000),
  latencyWarmupMs: num('BENCH_LATENCY_WARMUP_MS', 2_000),
  /** Partitions of the latency topics: the seed's kafka-topics.sh gives traces 12. */
  latencyPartitions: num('BENCH_LATENCY_PARTITIONS', 12),
  /** Subjects of the latency mode: ours (the CLI on the seed's YAML) and/or go. */
  latencySubjects: list('BENCH_LATENCY_SUBJECTS', 'ours,go'),
  /**
   * Variants of ours, as JSON: [{"name", "batch"?: {...}, "producer"?: {...}}], merged into the
   * seed's batch processor and kafka exporter producer sections. Default: the seed as it is.
   */
  latencyOursVariants: JSON.parse(
    process.env.BENCH_LATENCY_OURS_VARIANTS?.trim() || '[{"name":"ours"}]',
  ) as OursVariant[],
  /** The checkout whose packages/cli/src/bin.ts runs as ours (default: this one). */
  oursRoot: process.env.BENCH_OURS_ROOT?.trim() || '',
  // shared batch settings: our batcher's defaults, given to the Go batch processor as they are
  sendBatchSize: 8192,
  batchTimeoutMs: 200,
};

export interface OursVariant {
  readonly name: string;
  readonly batch?: Record<string, unknown>;
  readonly producer?: Record<string, unknown>;
}

export type Config = typeof CONFIG;
