import { describe, expect, it } from 'vitest';
import { createKafkaExporter, type KafkaExporterOptions } from '../src/index.js';

describe('createKafkaExporter with the real librdkafka binding', () => {
  it.each<[string, KafkaExporterOptions]>([
    ['defaults', {}],
    ['acks 1, gzip', { producer: { requiredAcks: 1, compression: 'gzip' } }],
    ['acks 0, lz4, small messages', { producer: { requiredAcks: 0, compression: 'lz4', maxMessageBytes: 10_000 } }],
    ['snappy, no idempotence', { producer: { compression: 'snappy', enableIdempotence: false } }],
    ['sasl plaintext', { sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' } }],
  ])('librdkafka accepts the configuration built from %s', async (_name, options) => {
    const exporter = createKafkaExporter(options);
    expect(exporter.connected).toBe(false);
    await exporter.shutdown();
  });

  it('turns a configuration librdkafka refuses into ERR_INVALID_OPTIONS', () => {
    expect(() => createKafkaExporter({ librdkafka: { 'no.such.property': 1 } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: expect.stringMatching(/invalid librdkafka configuration.*no\.such\.property/) }),
    );
  });

  it('rejects bad options naming them', () => {
    expect(() => createKafkaExporter({ brokers: [] })).toThrow(/kafka-producer-exporter: invalid options: brokers/);
  });
});
