import { parseOptions } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { createKafkaExporter, type KafkaExporterOptions } from '../src/index.js';
import { producerConfig } from '../src/internal/rdkafka-config.js';
import { nativeProducerFactory } from '../src/internal/rdkafka.js';
import { optionsSchema } from '../src/options.js';

describe('createKafkaExporter with the real librdkafka binding', () => {
  it.each<[string, KafkaExporterOptions]>([
    ['defaults', {}],
    ['acks 1, gzip', { producer: { requiredAcks: 1, compression: 'gzip' } }],
    [
      'acks 0, lz4, small messages',
      { producer: { requiredAcks: 0, compression: 'lz4', maxMessageBytes: 10_000 } },
    ],
    ['snappy, no idempotence', { producer: { compression: 'snappy', enableIdempotence: false } }],
    ['sasl plaintext', { sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' } }],
  ])('librdkafka accepts the configuration built from %s', async (_name, options) => {
    const exporter = createKafkaExporter(options);
    expect(exporter.connected).toBe(false);
    // The native producer is created only on connect; librdkafka checks the same configuration then.
    const producer = await nativeProducerFactory(
      producerConfig(parseOptions('test', optionsSchema, options)),
    );
    await new Promise((resolve) => producer.disconnect(0, resolve));
    await exporter.shutdown();
  });

  it('turns a configuration librdkafka refuses into ERR_INVALID_OPTIONS from start(), without trying to connect', async () => {
    const exporter = createKafkaExporter({ brokers: ['127.0.0.1:1'], librdkafka: { 'no.such.property': 1 } });
    await expect(exporter.start()).rejects.toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTIONS',
        message: expect.stringMatching(/invalid librdkafka configuration.*no\.such\.property/),
      }),
    );
    expect(exporter.connected).toBe(false);
    await exporter.shutdown();
  });

  it('refuses pass-through properties the exporter owns at construction', () => {
    expect(() => createKafkaExporter({ librdkafka: { acks: 1 } })).toThrow(
      /librdkafka\.acks: acks is set by producer\.requiredAcks/,
    );
    expect(() => createKafkaExporter({ librdkafka: { 'message.max.bytes': 2_000_000 } })).toThrow(
      /message\.max\.bytes is set by producer\.maxMessageBytes/,
    );
    expect(() => createKafkaExporter({ librdkafka: { 'enable.idempotence': false } })).toThrow(
      /enable\.idempotence is set by producer\.enableIdempotence/,
    );
  });

  it('rejects bad options naming them', () => {
    expect(() => createKafkaExporter({ brokers: [] })).toThrow(
      /kafka-producer-exporter: invalid options: brokers/,
    );
  });
});
