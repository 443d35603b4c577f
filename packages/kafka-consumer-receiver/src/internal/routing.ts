import { PipelineError, SIGNALS, type Signal } from '@otlp-kafka/core';
import { DEFAULT_SIGNAL_TOPICS, type KafkaEncoding, type ParsedOptions } from '../options.js';

/** One signal's topics and their encoding. */
export interface TopicBinding {
  readonly signal: Signal;
  readonly topics: readonly string[];
  readonly encoding: KafkaEncoding;
}

/** The signals a receiver built from these options can produce. */
export function offeredSignals(o: ParsedOptions): Signal[] {
  const sections = SIGNALS.filter((s) => o[s] !== undefined);
  if (sections.length > 0) return sections;
  if (o.signal !== undefined) return [o.signal];
  return [...SIGNALS];
}

/**
 * The topic bindings for the signals actually connected. Topics given without
 * a signal belong to the one connected signal; with none given, each connected
 * signal reads its Collector default topic.
 */
export function resolveBindings(o: ParsedOptions, connected: readonly Signal[]): TopicBinding[] {
  if (connected.length === 0)
    throw new PipelineError('ERR_INVALID_OPTIONS', 'kafka receiver: no signal is connected to a pipeline');
  const flat = o.topics ?? (o.topic !== undefined ? [o.topic] : undefined);
  if (SIGNALS.some((s) => o[s] !== undefined)) {
    return connected.map((s) => ({
      signal: s,
      topics: o[s]?.topics ?? [DEFAULT_SIGNAL_TOPICS[s]],
      encoding: o[s]?.encoding ?? o.encoding,
    }));
  }
  if (flat !== undefined && o.signal === undefined && connected.length > 1) {
    throw new PipelineError(
      'ERR_INVALID_OPTIONS',
      `kafka receiver: topics ${flat.join(', ')} have no signal and several are connected (${connected.join(', ')}); ` +
        'set `signal`, or use per-signal sections',
    );
  }
  return connected.map((s) => ({
    signal: s,
    topics: flat ?? [DEFAULT_SIGNAL_TOPICS[s]],
    encoding: o.encoding,
  }));
}

/** Maps a record's topic to its binding; `^`-prefixed topics are regular expressions. */
export class TopicRouter {
  private readonly exact = new Map<string, TopicBinding>();
  private readonly patterns: { regex: RegExp; binding: TopicBinding }[] = [];
  private readonly cache = new Map<string, TopicBinding | undefined>();

  constructor(readonly bindings: readonly TopicBinding[]) {
    for (const b of bindings) {
      for (const t of b.topics) {
        if (t.startsWith('^')) this.patterns.push({ regex: new RegExp(t), binding: b });
        else this.exact.set(t, b);
      }
    }
  }

  /** What to subscribe to (librdkafka takes `^` patterns as regular expressions). */
  get subscription(): string[] {
    return [...new Set(this.bindings.flatMap((b) => b.topics))];
  }

  route(topic: string): TopicBinding | undefined {
    if (this.cache.has(topic)) return this.cache.get(topic);
    const found = this.exact.get(topic) ?? this.patterns.find((p) => p.regex.test(topic))?.binding;
    this.cache.set(topic, found);
    return found;
  }
}
