import type { AnyValue, KeyValue, SeverityNumber, SpanKind, StatusCode } from './model.js';
import type { AttributeValue } from './internal/resource-attrs.js';
import type { Signal } from './signal.js';

/** The kind of a metric a data point belongs to (the Metric's data field). */
export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

/**
 * One item of a request (a span, a log record or a metric data point) read
 * lazily from the wire: a field is located only when asked for, and nothing
 * is decoded that is not asked for. A field absent on the wire reads as its
 * protobuf default ('' / 0 / 0n / undefined), so a getter that does not apply
 * to the signal (severityNumber() of a span) reads as absent.
 *
 * A view is valid only during the callback it is passed to: the same object
 * is moved on to the next item afterwards.
 */
export interface ItemView {
  readonly signal: Signal;
  /** The item's position in the request, from 0. */
  readonly index: number;
  /** A span's name, a log record's event_name, a data point's metric name. */
  name(): string;
  /** Lower-case hex of trace_id (spans, log records); '' when absent. */
  traceId(): string;
  /** Lower-case hex of span_id (spans, log records); '' when absent. */
  spanId(): string;
  parentSpanId(): string;
  traceState(): string;
  kind(): SpanKind;
  statusCode(): StatusCode;
  statusMessage(): string;
  startTimeUnixNano(): bigint;
  endTimeUnixNano(): bigint;
  /** time_unix_nano of a log record or a data point. */
  timeUnixNano(): bigint;
  severityNumber(): SeverityNumber;
  severityText(): string;
  /** A log record's body, decoded. */
  body(): AnyValue | undefined;
  /** A data point's metric name, unit, description and type (undefined for other signals). */
  metricName(): string;
  metricUnit(): string;
  metricDescription(): string;
  metricType(): MetricType | undefined;
  /** An item attribute, decoded (edits made in this callback included); undefined when absent. */
  attribute(key: string): AnyValue | undefined;
  hasAttribute(key: string): boolean;
  /** All item attributes, decoded (edits included). */
  attributes(): KeyValue[];
  resourceAttribute(key: string): AnyValue | undefined;
  resourceAttributes(): KeyValue[];
  scopeName(): string;
  scopeVersion(): string;
}

/** An item that can also be edited; edits are written when the request is rewritten. */
export interface Item extends ItemView {
  /** Sets (inserts or replaces) an item attribute. A number integral within int64 is written as int_value. */
  setAttribute(key: string, value: AttributeValue | AnyValue): void;
  /** Removes an item attribute (every occurrence of the key). */
  removeAttribute(key: string): void;
}
