import type { Signal } from '../signal.js';

/**
 * OTLP v1 field numbers along the path request -> resource-level -> scope-level
 * -> item, identical in shape for the three signals.
 *   Export*ServiceRequest.resource_{spans,metrics,logs} = 1
 *   Resource*.resource = 1, Resource*.scope_* = 2, Resource*.schema_url = 3
 *   Scope*.scope = 1, Scope*.{spans,metrics,log_records} = 2, Scope*.schema_url = 3
 * For metrics the item is a data point inside Metric.{gauge=5,sum=7,histogram=9,
 * exponential_histogram=10,summary=11}.data_points=1.
 */
export const F_RESOURCE_LEVEL = 1;
export const F_RESOURCE = 1;
export const F_SCOPE_LEVEL = 2;
export const F_RECORD = 2;
export const METRIC_DATA_FIELDS: ReadonlySet<number> = new Set([5, 7, 9, 10, 11]);
export const F_DATA_POINTS = 1;

export const RESOURCE_LEVEL_NAME: Record<Signal, string> = {
  traces: 'ResourceSpans',
  metrics: 'ResourceMetrics',
  logs: 'ResourceLogs',
};
export const SCOPE_LEVEL_NAME: Record<Signal, string> = {
  traces: 'ScopeSpans',
  metrics: 'ScopeMetrics',
  logs: 'ScopeLogs',
};
export const RECORD_NAME: Record<Signal, string> = { traces: 'Span', metrics: 'Metric', logs: 'LogRecord' };
