import { describe, expect, it } from 'vitest';
import { loadKafka } from '../src/native.js';
import { RD, rdCodeName } from '../src/codes.js';

describe('librdkafka codes', () => {
  it('match the binding', async () => {
    const errors = (await loadKafka()).CODES.ERRORS as Record<string, number>;
    for (const [name, code] of Object.entries(RD)) expect([name, errors[name]]).toEqual([name, code]);
  });

  it('are named without the binding', () => {
    expect(rdCodeName(-192)).toBe('ERR__MSG_TIMED_OUT');
    expect(rdCodeName(36)).toBe('ERR_TOPIC_ALREADY_EXISTS');
    expect(rdCodeName(12345)).toBe('librdkafka error 12345');
  });
});
