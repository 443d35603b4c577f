import { PipelineError } from '@otlp-kafka/core';
import {
  loadKafka,
  type DeliveryReport,
  type KafkaModule,
  type LibrdKafkaError,
  type MessageHeader,
} from '@otlp-kafka/kafka-client';
import type { LibrdkafkaConfig } from './librdkafka-config.js';

/** What failed, where it came from. */
export interface DeadLetter {
  readonly value: Buffer | null;
  readonly key: Buffer | string | null | undefined;
  /** The original record's headers, kept first. */
  readonly headers: readonly MessageHeader[];
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  readonly sourceOffset: number;
  readonly error: PipelineError;
  readonly failedAt: Date;
}

/** Writes dead letters; `send` resolves only once Kafka acknowledged the record. */
export interface DeadLetterSink {
  start(): Promise<void>;
  send(letter: DeadLetter): Promise<void>;
  shutdown(): Promise<void>;
}

export type DeadLetterSinkFactory = (config: LibrdkafkaConfig, topic: string) => DeadLetterSink;

export const DEAD_LETTER_HEADERS = {
  error: 'otlp-kafka-error',
  errorCode: 'otlp-kafka-error-code',
  sourceTopic: 'otlp-kafka-source-topic',
  sourcePartition: 'otlp-kafka-source-partition',
  sourceOffset: 'otlp-kafka-source-offset',
  failedAt: 'otlp-kafka-failed-at',
} as const;

/** The original headers followed by ours, which say what failed, where it came from and when. */
export function deadLetterHeaders(letter: DeadLetter): MessageHeader[] {
  return [
    ...letter.headers,
    { [DEAD_LETTER_HEADERS.error]: letter.error.message },
    { [DEAD_LETTER_HEADERS.errorCode]: letter.error.code },
    { [DEAD_LETTER_HEADERS.sourceTopic]: letter.sourceTopic },
    { [DEAD_LETTER_HEADERS.sourcePartition]: String(letter.sourcePartition) },
    { [DEAD_LETTER_HEADERS.sourceOffset]: String(letter.sourceOffset) },
    { [DEAD_LETTER_HEADERS.failedAt]: letter.failedAt.toISOString() },
  ];
}

const POLL_INTERVAL_MS = 50;
const FLUSH_TIMEOUT_MS = 10_000;

/**
 * A librdkafka producer with delivery reports: each send settles with its own
 * report. Created in start(), which loads the native client on first use.
 */
export const createNativeDeadLetterSink: DeadLetterSinkFactory = (config, topic) => {
  let sink: DeadLetterSink | undefined;
  return {
    async start() {
      sink ??= nativeSink(await loadKafka(), config, topic);
      await sink.start();
    },
    send: (letter) =>
      sink
        ? sink.send(letter)
        : Promise.reject(new PipelineError('ERR_NOT_STARTED', 'dead-letter producer is not started')),
    shutdown: () => sink?.shutdown() ?? Promise.resolve(),
  };
};

function nativeSink(KafkaJs: KafkaModule, config: LibrdkafkaConfig, topic: string): DeadLetterSink {
  const producer = new KafkaJs.Producer({ ...config, dr_cb: true });
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 0;
  producer.on('delivery-report', (err: LibrdKafkaError, report: DeliveryReport) => {
    const id = report.opaque as number;
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (err)
      waiter.reject(
        new PipelineError('ERR_KAFKA_DEAD_LETTER', `dead-letter produce to ${topic} failed: ${err.message}`, {
          cause: err,
        }),
      );
    else waiter.resolve();
  });
  return {
    start: () =>
      new Promise<void>((resolve, reject) => {
        producer.connect({}, (err) => {
          if (err)
            return reject(
              new PipelineError('ERR_UNAVAILABLE', `dead-letter producer: ${err.message}`, { cause: err }),
            );
          producer.setPollInterval(POLL_INTERVAL_MS);
          resolve();
        });
      }),
    send(letter) {
      return new Promise<void>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        try {
          producer.produce(
            topic,
            null,
            letter.value,
            letter.key ?? null,
            Date.now(),
            id,
            deadLetterHeaders(letter),
          );
        } catch (e) {
          pending.delete(id);
          reject(
            new PipelineError(
              'ERR_KAFKA_DEAD_LETTER',
              `dead-letter produce to ${topic} failed: ${String(e)}`,
              { cause: e },
            ),
          );
        }
      });
    },
    shutdown: () =>
      new Promise<void>((resolve) => {
        const close = (): void => {
          producer.setPollInterval(0);
          for (const [, w] of pending)
            w.reject(new PipelineError('ERR_SHUTDOWN', 'dead-letter producer closed'));
          pending.clear();
          if (producer.isConnected()) producer.disconnect(() => resolve());
          else resolve();
        };
        if (!producer.isConnected()) return close();
        producer.flush(FLUSH_TIMEOUT_MS, close);
      }),
  };
}
