import { kafkaEncodingConfig } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPICS, KAFKA_ENCODINGS, SEED_TOPICS } from '../src/topics.js';

describe('topics and encodings', () => {
  it('defaults to the Collector\'s topics; the seed\'s names are separate', () => {
    expect(DEFAULT_TOPICS).toEqual({ traces: 'otlp_spans', metrics: 'otlp_metrics', logs: 'otlp_logs' });
    expect(SEED_TOPICS).toEqual({ traces: 'otlp-traces', metrics: 'otlp-metrics', logs: 'otlp-logs' });
    expect(Object.isFrozen(DEFAULT_TOPICS)).toBe(true);
  });

  it('core\'s YAML encoding block (core cannot import this package) lists exactly these encodings', () => {
    expect(kafkaEncodingConfig.options).toEqual([...KAFKA_ENCODINGS]);
  });
});
