import { describe, expect, it } from 'vitest';
import { createKafkaReceiver, DEFAULTS } from '../src/index.js';

describe('options', () => {
  it('accepts nothing at all, with the Collector defaults', () => {
    const r = createKafkaReceiver();
    expect(r.signals).toEqual(['traces', 'metrics', 'logs']);
    expect(DEFAULTS.groupId).toBe('otel-collector');
    expect(DEFAULTS.initialOffset).toBe('latest');
    expect(DEFAULTS.rebalanceStrategy).toBe('cooperative-sticky');
    expect(DEFAULTS.autoCommit).toEqual({ enable: true, intervalMs: 1000 });
  });

  it.each([
    [{ topic: 'a', topics: ['b'] }, /topic: give topic or topics, not both/],
    [{ topics: ['a'], traces: { topics: ['b'] } }, /topics: topics and per-signal sections/],
    [{ signal: 'logs', traces: {} }, /signal: signal applies to topic\/topics/],
    [{ traces: { topics: ['a'] }, logs: { topics: ['a'] } }, /logs.topics: topic "a" is also read as traces/],
    [{ topics: ['^(unclosed'] }, /invalid regular expression/],
    [
      { heartbeatIntervalMs: 10_000, sessionTimeoutMs: 10_000 },
      /heartbeatIntervalMs: must be less than sessionTimeoutMs/,
    ],
    [{ errorBackoff: { initialIntervalMs: 5000, maxIntervalMs: 1000 } }, /errorBackoff.maxIntervalMs/],
    [{ librdkafka: { 'enable.auto.offset.store': true } }, /enable.auto.offset.store must stay false/],
    [{ topics: ['a'], deadLetterTopic: 'a' }, /deadLetterTopic: must not be a topic this receiver reads/],
    [{ maxInFlightMessages: 0 }, /maxInFlightMessages/],
    [{ encoding: 'jaeger_proto' }, /encoding/],
    [{ groupID: 'typo' }, /groupID|Unrecognized/],
  ])('refuses %j', (options, message) => {
    expect(() => createKafkaReceiver(options as never)).toThrow(message);
  });

  it('refuses to connect a signal it does not produce', () => {
    const r = createKafkaReceiver({ topic: 'x', signal: 'logs' });
    expect(() => r.connect('traces', { consume: () => Promise.reject(new Error('unused')) })).toThrow(
      /produces logs, not traces/,
    );
  });

  it('takes brokers as a list or one comma-separated string', () => {
    expect(() => createKafkaReceiver({ brokers: 'a:1, b:2' })).not.toThrow();
    expect(() => createKafkaReceiver({ brokers: [] })).toThrow(/brokers/);
  });
});
