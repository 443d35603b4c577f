import { clientConfig } from '@otlp-kafka/kafka-client';
import { idempotenceOf, type ResolvedOptions } from '../options.js';
import type { RdConfig } from './rdkafka.js';

/**
 * The producer's librdkafka configuration: the Kafka layer's connection
 * properties, then the producer's own, then the pass-through (which may not
 * touch what the exporter owns, see OWNED_LIBRDKAFKA_KEYS). The queue bounds
 * are set a little above the exporter's own budget (which counts key and
 * header bytes too), so the exporter refuses with backpressure before librdkafka does.
 */
export function producerConfig(o: ResolvedOptions): RdConfig {
  const p = o.producer;
  return clientConfig(o, {
    acks: p.requiredAcks,
    'enable.idempotence': idempotenceOf(o),
    'compression.codec': p.compression,
    'message.max.bytes': p.maxMessageBytes,
    // A produce request's record batch must not exceed what one message may be.
    'batch.size': Math.min(1_000_000, p.maxMessageBytes),
    'batch.num.messages': p.flushMaxMessages,
    'linger.ms': p.lingerMs,
    'message.timeout.ms': p.messageTimeoutMs,
    'queue.buffering.max.messages': p.queueMaxMessages + QUEUE_HEADROOM_MESSAGES,
    'queue.buffering.max.kbytes': p.queueMaxKbytes + QUEUE_HEADROOM_KBYTES,
  });
}

export const QUEUE_HEADROOM_MESSAGES = 1024;
export const QUEUE_HEADROOM_KBYTES = 1024;
