import type { DefaultsOf, TelemetryOptions } from '@otlp-kafka/core';
import type { MatchProperties } from './match.js';

/** Which items of a signal to drop. An item is dropped when it fails include / exclude or any condition is true. */
export interface SignalFilter {
  /** Keep only items matching these properties (the Collector's legacy `include`). Default: all. */
  readonly include?: MatchProperties;
  /** Drop items matching these properties (legacy `exclude`). Default: none. */
  readonly exclude?: MatchProperties;
}

export interface TracesFilter extends SignalFilter {
  /** OTTL conditions in the span context; a span for which any is true is dropped. Default none. */
  readonly span?: readonly string[];
}

export interface LogsFilter extends SignalFilter {
  /** OTTL conditions in the log_record context. Default none. */
  readonly logRecord?: readonly string[];
}

export interface MetricsFilter extends SignalFilter {
  /** OTTL conditions in the metric context (name, unit, type, resource ...): all the metric's points are dropped. Default none. */
  readonly metric?: readonly string[];
  /** OTTL conditions in the datapoint context. Default none. */
  readonly datapoint?: readonly string[];
}

export interface FilterProcessorOptions extends TelemetryOptions {
  readonly traces?: TracesFilter;
  readonly logs?: LogsFilter;
  readonly metrics?: MetricsFilter;
  /**
   * What a batch whose bytes cannot be read answers: `propagate` a permanent
   * refusal naming the field; `ignore` pass it on unfiltered and log it;
   * `silent` pass it on unfiltered. Default 'propagate'.
   */
  readonly errorMode?: 'propagate' | 'ignore' | 'silent';
  /** Used in messages and as the `processor` metric attribute. Default 'filter'. */
  readonly name?: string;
  /** How long shutdown waits for batches still being passed on. Default 5000. */
  readonly shutdownTimeoutMs?: number;
}

export const DEFAULTS = {
  errorMode: 'propagate',
  name: 'filter',
  shutdownTimeoutMs: 5000,
} as const satisfies DefaultsOf<FilterProcessorOptions>;
