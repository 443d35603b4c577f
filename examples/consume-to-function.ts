// Reads OTLP traces from Kafka into a plain function: no pipeline, no exporter. Each batch's
// Kafka coordinates and span count are printed, and the function answers ok, so the record is committed.
// Run: npm run kafka -- start && node --conditions=@otlp-kafka/source --import tsx examples/consume-to-function.ts \
//        --brokers 127.0.0.1:39092 --topic otlp_spans --group span-printer [--max-batches 10]
// (or KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_GROUP_ID). Stops on SIGINT / SIGTERM, or after --max-batches.
import { parseArgs } from 'node:util';
import { ok, type Batch } from '@otlp-kafka/core';
import { createKafkaReceiver } from '@otlp-kafka/kafka-consumer-receiver';

export interface RunOptions {
  readonly brokers: string;
  readonly topic: string;
  readonly groupId: string;
  /** Stop after this many batches (batches already in flight then are still handled). Default: run until stop(). */
  readonly maxBatches?: number;
  /** Default 'earliest': a new group prints what the topic already holds. */
  readonly initialOffset?: 'earliest' | 'latest';
  /** Where the lines go. Default console.log. */
  readonly print?: (line: string) => void;
  /** Called with every batch after it was printed (tests count the spans). */
  readonly onBatch?: (batch: Batch) => void;
}

export interface Running {
  /** Shuts the receiver down (commits what was handled); idempotent. */
  stop(): Promise<void>;
  /** Settles once stopped, with how many batches and spans were handled. */
  readonly done: Promise<{ batches: number; spans: number }>;
}

export async function run(options: RunOptions): Promise<Running> {
  const print = options.print ?? console.log;
  const receiver = createKafkaReceiver({
    brokers: options.brokers,
    topic: options.topic,
    signal: 'traces',
    groupId: options.groupId,
    initialOffset: options.initialOffset ?? 'earliest',
  });
  let batches = 0;
  let spans = 0;
  let stopping: Promise<void> | undefined;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve)).then(() => ({ batches, spans }));
  const stop = (): Promise<void> => (stopping ??= receiver.shutdown().finally(stopped));

  receiver.connect('traces', (batch) => {
    const k = batch.metadata.kafka!;
    const key = k.key ? ` key=${Buffer.from(k.key).toString('utf8')}` : '';
    const at = k.timestampMs === undefined ? '' : ` at ${new Date(k.timestampMs).toISOString()}`;
    print(`${k.topic}[${k.partition}] offset ${k.firstOffset}${key}${at}: ${batch.itemCount} spans`);
    batches++;
    spans += batch.itemCount;
    options.onBatch?.(batch);
    // Not awaited: shutdown waits for this very batch to be answered.
    if (options.maxBatches !== undefined && batches >= options.maxBatches) void stop();
    return ok();
  });
  await receiver.start();
  return { stop, done };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string', default: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:39092' },
      topic: { type: 'string', default: process.env['KAFKA_TOPIC'] ?? 'otlp_spans' },
      group: { type: 'string', default: process.env['KAFKA_GROUP_ID'] ?? 'span-printer' },
      'max-batches': { type: 'string' },
    },
  });
  const max = values['max-batches'];
  const maxBatches = max === undefined ? undefined : Number(max);
  if (maxBatches !== undefined && !(Number.isInteger(maxBatches) && maxBatches > 0)) {
    console.error(`--max-batches must be a positive integer, got ${max}`);
    process.exit(2);
  }
  const running = await run({
    brokers: values.brokers,
    topic: values.topic,
    groupId: values.group,
    maxBatches,
  });
  console.log(`reading ${values.topic} from ${values.brokers} as group ${values.group}; Ctrl-C stops`);
  process.once('SIGINT', () => void running.stop());
  process.once('SIGTERM', () => void running.stop());
  const { batches, spans } = await running.done;
  console.log(`stopped: ${batches} batches, ${spans} spans`);
}
