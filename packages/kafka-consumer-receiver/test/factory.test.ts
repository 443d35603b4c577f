import { noopLogger, type Signal } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { kafkaReceiverFactory } from '../src/index.js';
import { toOptions, topicsOf } from '../src/internal/config-schema.js';

const parse = (c: unknown) => kafkaReceiverFactory.configSchema.parse(c);
const context = (signals: Signal[]) => ({ id: 'kafka', signals, logger: noopLogger, env: {} });

describe('kafkaReceiverFactory', () => {
  it("accepts the seed's keys: flat topic, auto_commit", () => {
    const config = parse({
      topic: 'otlp-logs',
      group_id: 'g',
      auto_commit: { enable: true, interval: '5s' },
    });
    expect(topicsOf(config, 'logs')).toEqual(['otlp-logs']);
    expect(toOptions(config)).toEqual({ groupId: 'g', autoCommit: { enable: true, intervalMs: 5000 } });
  });

  it('accepts the Collector v0.165 keys: per-signal topics, autocommit, max_partition_fetch_size', () => {
    const config = parse({
      traces: { topics: ['a', 'b'], encoding: 'otlp_json' },
      logs: { topic: 'l' },
      autocommit: { enable: false, interval: '2s' },
      max_partition_fetch_size: 2048,
    });
    expect([topicsOf(config, 'traces'), topicsOf(config, 'logs'), topicsOf(config, 'metrics')]).toEqual([
      ['a', 'b'],
      ['l'],
      undefined,
    ]);
    expect(toOptions(config)).toEqual({
      autoCommit: { enable: false, intervalMs: 2000 },
      maxPartitionFetchBytes: 2048,
    });
  });

  it('refuses both spellings at once, naming the key', () => {
    const r = kafkaReceiverFactory.configSchema.safeParse({
      autocommit: { enable: true },
      auto_commit: { enable: true },
      topic: 'x',
      traces: { topics: ['t'] },
    });
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'topics: topic/topics and per-signal sections (traces) are exclusive',
      "auto_commit: give autocommit (the Collector's name) or auto_commit, not both",
    ]);
  });

  it('builds one receiver for the signals of its pipelines, default topics where none is named', () => {
    const receiver = kafkaReceiverFactory.create(
      parse({ traces: { topics: ['t'] } }),
      context(['traces', 'metrics']),
    );
    expect(receiver.signals).toEqual(['traces', 'metrics']);
  });

  it('refuses one flat topic list for two signals', () => {
    expect(() => kafkaReceiverFactory.create(parse({ topic: 'mixed' }), context(['traces', 'logs']))).toThrow(
      'one topic list cannot feed traces and logs pipelines: define one kafka/<name> receiver per signal',
    );
  });
});
