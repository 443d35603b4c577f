import { afterEach, describe, expect, test } from 'vitest';
import { freshGroup, kafkaBrokers, KAFKA_BROKERS_ENV } from '@otlp-kafka/testkit/kafka';
import { uniqueName } from '../../src/kafka/topics.js';

describe('uniqueName / freshGroup', () => {
  test('keeps only legal topic characters and appends a unique suffix', () => {
    const a = uniqueName('my topic/with:odd*chars');
    expect(a).toMatch(/^my-topic-with-odd-chars-[a-z0-9]+-[0-9a-f]{8}$/);
    expect(uniqueName('x')).not.toBe(uniqueName('x'));
  });

  test('an empty prefix still gives a legal name; long prefixes are cut below the 249-char limit', () => {
    expect(uniqueName('')).toMatch(/^test-/);
    expect(uniqueName('a'.repeat(500)).length).toBeLessThan(249);
  });

  test('freshGroup defaults its prefix', () => {
    expect(freshGroup()).toMatch(/^test-group-/);
  });
});

describe('kafkaBrokers', () => {
  const saved = process.env[KAFKA_BROKERS_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[KAFKA_BROKERS_ENV];
    else process.env[KAFKA_BROKERS_ENV] = saved;
  });

  test('reads KAFKA_BROKERS', () => {
    process.env[KAFKA_BROKERS_ENV] = ' 10.0.0.1:9092,10.0.0.2:9092 ';
    expect(kafkaBrokers()).toBe('10.0.0.1:9092,10.0.0.2:9092');
  });

  test('explains how to get a broker when unset', () => {
    delete process.env[KAFKA_BROKERS_ENV];
    expect(() => kafkaBrokers()).toThrow(/KAFKA_BROKERS is not set.*--project integration/);
  });
});
