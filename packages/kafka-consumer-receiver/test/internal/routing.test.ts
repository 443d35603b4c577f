import { describe, expect, it } from 'vitest';
import { parseOptions } from '@otlp-kafka/core';
import { optionsSchema, type KafkaReceiverOptions } from '../../src/options.js';
import { TopicRouter, offeredSignals, resolveBindings } from '../../src/internal/routing.js';

const parse = (o: KafkaReceiverOptions) => parseOptions('test', optionsSchema, o);

describe('topic bindings', () => {
  it('per-signal sections: one receiver feeds several signals, each with its topics and encoding', () => {
    const o = parse({ traces: { topics: ['t1', 't2'] }, logs: { topics: ['l'], encoding: 'otlp_json' } });
    expect(offeredSignals(o)).toEqual(['traces', 'logs']);
    expect(resolveBindings(o, ['traces', 'logs'])).toEqual([
      { signal: 'traces', topics: ['t1', 't2'], encoding: 'otlp_proto' },
      { signal: 'logs', topics: ['l'], encoding: 'otlp_json' },
    ]);
    // An unconnected section's topics are not read.
    expect(resolveBindings(o, ['logs']).map((b) => b.signal)).toEqual(['logs']);
  });

  it('a section without topics reads the Collector default topic of its signal', () => {
    expect(resolveBindings(parse({ metrics: {} }), ['metrics'])[0]!.topics).toEqual(['otlp_metrics']);
  });

  it('topics with a signal bind to that signal only', () => {
    const o = parse({ topic: 'otlp-logs', signal: 'logs' });
    expect(offeredSignals(o)).toEqual(['logs']);
    expect(resolveBindings(o, ['logs'])).toEqual([
      { signal: 'logs', topics: ['otlp-logs'], encoding: 'otlp_proto' },
    ]);
  });

  it('topics without a signal belong to the one connected signal, and are refused for several', () => {
    const o = parse({ topics: ['otlp-traces'] });
    expect(offeredSignals(o)).toEqual(['traces', 'metrics', 'logs']);
    expect(resolveBindings(o, ['metrics'])).toEqual([
      { signal: 'metrics', topics: ['otlp-traces'], encoding: 'otlp_proto' },
    ]);
    expect(() => resolveBindings(o, ['traces', 'logs'])).toThrow(/several are connected/);
  });

  it('no topics at all: each connected signal reads its default topic', () => {
    const o = parse({});
    expect(resolveBindings(o, ['traces', 'logs']).map((b) => b.topics)).toEqual([
      ['otlp_spans'],
      ['otlp_logs'],
    ]);
    expect(() => resolveBindings(o, [])).toThrow(/no signal is connected/);
  });
});

describe('TopicRouter', () => {
  it('routes exact topics and ^ regular expressions, and subscribes to both', () => {
    const router = new TopicRouter([
      { signal: 'traces', topics: ['spans', '^traces-.*'], encoding: 'otlp_proto' },
      { signal: 'logs', topics: ['^logs-[0-9]+$'], encoding: 'otlp_json' },
    ]);
    expect(router.subscription).toEqual(['spans', '^traces-.*', '^logs-[0-9]+$']);
    expect(router.route('spans')?.signal).toBe('traces');
    expect(router.route('traces-eu')?.signal).toBe('traces');
    expect(router.route('logs-12')?.encoding).toBe('otlp_json');
    expect(router.route('logs-x')).toBeUndefined();
    expect(router.route('logs-x')).toBeUndefined();
  });
});
