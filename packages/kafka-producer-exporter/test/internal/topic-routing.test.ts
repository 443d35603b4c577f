import { describe, expect, it } from 'vitest';
import { planMessages, type PlanConfig } from '../../src/internal/plan.js';
import { parseOptions } from '@otlp-kafka/core';
import { optionsSchema, type KafkaExporterOptions } from '../../src/options.js';
import { configSchema, toOptions } from '../../src/internal/config-schema.js';
import { span, spansIn, tracesBatch } from '../support/data.js';

const resolveOptions = (o: KafkaExporterOptions) => parseOptions('kafka-producer-exporter', optionsSchema, o);

function cfg(over: Partial<PlanConfig> = {}): PlanConfig {
  return {
    encoding: 'otlp_proto',
    maxMessageBytes: 1_000_000,
    topicFromAttribute: undefined,
    topicFromMetadataKey: 'x-topic',
    allowedTopics: new Set(['tenant-a', 'tenant-b']),
    defaultTopic: () => 'otlp_spans',
    partitionBy: () => 'none',
    staticHeaders: {},
    headersFromMetadata: [],
    ...over,
  };
}

const withHeader = (topic: string | undefined, attrs: Record<string, string> = {}) =>
  tracesBatch(
    [
      { attrs, items: [span(1, 1), span(2, 2)] },
      { attrs: {}, items: [span(3, 3)] },
    ],
    topic === undefined ? {} : { headers: { 'x-topic': [topic, 'ignored'] } },
  );

describe('topic from a metadata key, held to allowedTopics', () => {
  it('routes the whole batch to the topic its metadata key names, over the attribute', () => {
    const plan = planMessages(
      withHeader('tenant-b', { 'kafka.topic': 'tenant-a' }),
      cfg({ topicFromAttribute: 'kafka.topic' }),
    ).unwrap();
    expect(plan.messages.map((m) => [m.topic, m.items])).toEqual([['tenant-b', 3]]);
    expect(plan.unroutedItems).toBe(0);
  });

  it('without the key: the attribute, then the configured topic, which is always allowed', () => {
    const plan = planMessages(
      withHeader(undefined, { 'kafka.topic': 'tenant-a' }),
      cfg({ topicFromAttribute: 'kafka.topic' }),
    ).unwrap();
    expect(plan.messages.map((m) => [m.topic, m.items]).sort()).toEqual([
      ['otlp_spans', 1],
      ['tenant-a', 2],
    ]);
  });

  it('a topic outside the list is never produced: its items are refused, the rest goes', () => {
    const byKey = planMessages(withHeader('__consumer_offsets'), cfg()).unwrap();
    expect(byKey.messages).toEqual([]);
    expect(byKey.unroutedItems).toBe(3);
    expect(byKey.unroutedReason).toMatch(/"__consumer_offsets" is not in allowedTopics/);

    const byAttribute = planMessages(
      withHeader(undefined, { 'kafka.topic': 'elsewhere' }),
      cfg({ topicFromAttribute: 'kafka.topic', topicFromMetadataKey: undefined }),
    ).unwrap();
    expect(byAttribute.messages.map((m) => [m.topic, spansIn(m.value).length])).toEqual([['otlp_spans', 1]]);
    expect(byAttribute.unroutedItems).toBe(2);
  });

  it('topicFromMetadataKey needs allowedTopics; YAML names map to the options', () => {
    expect(() => resolveOptions({ topicFromMetadataKey: 'x-topic' })).toThrow(/allowedTopics/);
    const o = toOptions(
      configSchema.parse({ topic_from_metadata_key: 'X-Topic', allowed_topics: ['tenant-a'] }),
      ['traces'],
    );
    expect(o).toMatchObject({ topicFromMetadataKey: 'X-Topic', allowedTopics: ['tenant-a'] });
    expect(resolveOptions(o).topicFromMetadataKey).toBe('x-topic');
    expect(() => resolveOptions({ topicFromMetadataKey: 'k', allowedTopics: ['bad topic'] })).toThrow(
      /allowedTopics/,
    );
  });
});
