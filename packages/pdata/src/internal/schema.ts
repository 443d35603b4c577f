/**
 * The OTLP v1 messages as field tables, for deep structural validation: each
 * known field's wire type and, for message fields, the nested table. Unknown
 * fields are allowed (newer senders) and skipped.
 */
import type { Signal } from '../signal.js';

/** Varint, fixed64, length-delimited (string / bytes), fixed32, and packed repeated scalars. */
export const VARINT = 0;
export const FIXED64 = 1;
export const BYTES = 2;
export const FIXED32 = 5;
/** repeated fixed64 / double: packed (LEN) or one by one (fixed64). */
export const PACKED_FIXED64 = 16;
/** repeated uint64: packed (LEN) or one by one (varint). */
export const PACKED_VARINT = 17;

export interface Message {
  readonly name: string;
  /** Indexed by field number (holes for unknown fields). */
  readonly byNumber: (number | Message | undefined)[];
}

function message(name: string, fields: Record<number, number | (() => Message)>): Message {
  const m: Message = { name, byNumber: [] };
  // Message fields are given as thunks so recursive types (AnyValue) can refer to each other.
  pending.push(() => {
    const max = Math.max(...Object.keys(fields).map(Number));
    for (let i = 0; i <= max; i++) m.byNumber.push(undefined);
    for (const [k, v] of Object.entries(fields)) m.byNumber[Number(k)] = typeof v === 'function' ? v() : v;
  });
  return m;
}
const pending: (() => void)[] = [];

const anyValue: Message = message('AnyValue', {
  1: BYTES,
  2: VARINT,
  3: VARINT,
  4: FIXED64,
  5: () => arrayValue,
  6: () => kvList,
  7: BYTES,
});
const arrayValue: Message = message('ArrayValue', { 1: () => anyValue });
const keyValue: Message = message('KeyValue', { 1: BYTES, 2: () => anyValue });
const kvList: Message = message('KeyValueList', { 1: () => keyValue });
const entityRef = message('EntityRef', { 1: BYTES, 2: BYTES, 3: BYTES, 4: BYTES });
const resource = message('Resource', { 1: () => keyValue, 2: VARINT, 3: () => entityRef });
const scope = message('InstrumentationScope', { 1: BYTES, 2: BYTES, 3: () => keyValue, 4: VARINT });

const event = message('Span.Event', { 1: FIXED64, 2: BYTES, 3: () => keyValue, 4: VARINT });
const link = message('Span.Link', { 1: BYTES, 2: BYTES, 3: BYTES, 4: () => keyValue, 5: VARINT, 6: FIXED32 });
const status = message('Status', { 2: BYTES, 3: VARINT });
const span = message('Span', {
  1: BYTES,
  2: BYTES,
  3: BYTES,
  4: BYTES,
  5: BYTES,
  6: VARINT,
  7: FIXED64,
  8: FIXED64,
  9: () => keyValue,
  10: VARINT,
  11: () => event,
  12: VARINT,
  13: () => link,
  14: VARINT,
  15: () => status,
  16: FIXED32,
});

const exemplar = message('Exemplar', {
  7: () => keyValue,
  2: FIXED64,
  3: FIXED64,
  6: FIXED64,
  4: BYTES,
  5: BYTES,
});
const numberPoint = message('NumberDataPoint', {
  7: () => keyValue,
  2: FIXED64,
  3: FIXED64,
  4: FIXED64,
  6: FIXED64,
  5: () => exemplar,
  8: VARINT,
});
const histogramPoint = message('HistogramDataPoint', {
  9: () => keyValue,
  2: FIXED64,
  3: FIXED64,
  4: FIXED64,
  5: FIXED64,
  6: PACKED_FIXED64,
  7: PACKED_FIXED64,
  8: () => exemplar,
  10: VARINT,
  11: FIXED64,
  12: FIXED64,
});
const buckets = message('Buckets', { 1: VARINT, 2: PACKED_VARINT });
const expPoint = message('ExponentialHistogramDataPoint', {
  1: () => keyValue,
  2: FIXED64,
  3: FIXED64,
  4: FIXED64,
  5: FIXED64,
  6: VARINT,
  7: FIXED64,
  8: () => buckets,
  9: () => buckets,
  10: VARINT,
  11: () => exemplar,
  12: FIXED64,
  13: FIXED64,
  14: FIXED64,
});
const quantile = message('ValueAtQuantile', { 1: FIXED64, 2: FIXED64 });
const summaryPoint = message('SummaryDataPoint', {
  7: () => keyValue,
  2: FIXED64,
  3: FIXED64,
  4: FIXED64,
  5: FIXED64,
  6: () => quantile,
  8: VARINT,
});
const metric = message('Metric', {
  1: BYTES,
  2: BYTES,
  3: BYTES,
  5: () => message('Gauge', { 1: () => numberPoint }),
  7: () => message('Sum', { 1: () => numberPoint, 2: VARINT, 3: VARINT }),
  9: () => message('Histogram', { 1: () => histogramPoint, 2: VARINT }),
  10: () => message('ExponentialHistogram', { 1: () => expPoint, 2: VARINT }),
  11: () => message('Summary', { 1: () => summaryPoint }),
  12: () => keyValue,
});

const logRecord = message('LogRecord', {
  1: FIXED64,
  11: FIXED64,
  2: VARINT,
  3: BYTES,
  5: () => anyValue,
  6: () => keyValue,
  7: VARINT,
  8: FIXED32,
  9: BYTES,
  10: BYTES,
  12: BYTES,
});

function request(rl: string, sl: string, item: Message): Message {
  const scopeLevel = message(sl, { 1: () => scope, 2: () => item, 3: BYTES });
  const resourceLevel = message(rl, { 1: () => resource, 2: () => scopeLevel, 3: BYTES });
  return message('request', { 1: () => resourceLevel });
}

export const REQUEST: Record<Signal, Message> = {
  traces: request('ResourceSpans', 'ScopeSpans', span),
  metrics: request('ResourceMetrics', 'ScopeMetrics', metric),
  logs: request('ResourceLogs', 'ScopeLogs', logRecord),
};

// Resolve the thunks (in creation order; a thunk creating a message queues that message's own thunk).
for (let i = 0; i < pending.length; i++) pending[i]!();
