import { DEFAULT_KAFKA_TOPICS } from '@otlp-kafka/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectionShape } from '../src/connection.js';
import { DEFAULT_TOPICS, KAFKA_ENCODINGS, SEED_TOPICS } from '../src/topics.js';
import { kafkaAuthConfig, kafkaEncodingConfig } from '../src/yaml.js';

describe('topics and encodings', () => {
  it("defaults to the Collector's topics; the seed's names are separate", () => {
    expect(DEFAULT_TOPICS).toEqual({ traces: 'otlp_spans', metrics: 'otlp_metrics', logs: 'otlp_logs' });
    expect(SEED_TOPICS).toEqual({ traces: 'otlp-traces', metrics: 'otlp-metrics', logs: 'otlp-logs' });
    expect(Object.isFrozen(DEFAULT_TOPICS)).toBe(true);
  });

  it('config (which depends on no Kafka package) defaults to the same topics for `otlp-kafka topics`', () => {
    expect(DEFAULT_KAFKA_TOPICS).toEqual(DEFAULT_TOPICS);
  });

  it('the YAML encoding block lists exactly these encodings', () => {
    expect(kafkaEncodingConfig.options).toEqual([...KAFKA_ENCODINGS]);
  });

  it('every SASL mechanism the YAML auth block takes is one this layer maps', () => {
    const schema = z.strictObject(connectionShape({ clientId: 'c', connectTimeoutMs: 1 }));
    const [password, oauthbearer] = kafkaAuthConfig.shape.sasl.unwrap().options;
    const mechanisms = password.shape.mechanism.options;
    expect(mechanisms.length).toBeGreaterThan(0);
    for (const mechanism of mechanisms)
      expect(schema.safeParse({ sasl: { mechanism, username: 'u', password: 'p' } }).success).toBe(true);
    // OAUTHBEARER's own keys are mapped in yaml.ts (test/oauthbearer.test.ts).
    expect(oauthbearer.shape.mechanism.value).toBe('OAUTHBEARER');
    expect(schema.safeParse({ sasl: { mechanism: 'OAUTHBEARER', unsecuredJwt: true } }).success).toBe(true);
  });
});
