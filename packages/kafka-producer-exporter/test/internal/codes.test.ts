import { loadKafka } from '@otlp-kafka/kafka-client';
import { describe, expect, it } from 'vitest';
import { classify, codeName, LOCAL, RD } from '../../src/internal/codes.js';

describe('librdkafka codes', () => {
  it('match the binding', async () => {
    const errors = (await loadKafka()).CODES.ERRORS as Record<string, number>;
    for (const [name, code] of Object.entries(RD)) expect([name, errors[name]]).toEqual([name, code]);
  });

  it('local codes do not collide with librdkafka codes', async () => {
    const used = new Set(Object.values((await loadKafka()).CODES.ERRORS as Record<string, number>));
    for (const code of Object.values(LOCAL)) expect(used.has(code)).toBe(false);
  });

  it('classify: queue full is backpressure, unfixable errors permanent, the rest retryable', () => {
    expect(classify(RD.ERR__QUEUE_FULL)).toBe('backpressure');
    for (const c of [
      RD.ERR_MSG_SIZE_TOO_LARGE,
      RD.ERR_TOPIC_AUTHORIZATION_FAILED,
      RD.ERR_RECORD_LIST_TOO_LARGE,
      RD.ERR_INVALID_RECORD,
    ])
      expect(classify(c)).toBe('permanent');
    for (const c of [
      RD.ERR__MSG_TIMED_OUT,
      RD.ERR__UNKNOWN_TOPIC,
      RD.ERR_UNKNOWN_TOPIC_OR_PART,
      RD.ERR__FATAL,
      RD.ERR__PURGE_QUEUE,
      7,
      -195,
    ])
      expect(classify(c)).toBe('retryable');
  });

  it('names codes', () => {
    expect(codeName(-192)).toBe('ERR__MSG_TIMED_OUT');
    expect(codeName(LOCAL.NO_REPORT)).toBe('ERR_KAFKA_NO_REPORT');
    expect(codeName(12345)).toBe('librdkafka error 12345');
  });
});
