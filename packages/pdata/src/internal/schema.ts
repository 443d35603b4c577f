/**
 * The OTLP v1 messages as field tables, for deep validation: each known
 * field's proto name, its kind (a wire type, or a checked kind such as STRING
 * or TRACE_ID) and, for message fields, the nested table. Unknown fields are
 * allowed (newer senders) and skipped.
 */
import type { Signal } from '../signal.js';

/** Varint, fixed64, length-delimited bytes, fixed32: the wire type is all that is checked. */
export const VARINT = 0;
export const FIXED64 = 1;
export const BYTES = 2;
export const FIXED32 = 5;
/** repeated fixed64 / double: packed (LEN) or one by one (fixed64). */
export const PACKED_FIXED64 = 16;
/** repeated uint64: packed (LEN) or one by one (varint). */
export const PACKED_VARINT = 17;
/** A proto `string`: LEN, valid UTF-8. */
export const STRING = 18;
/** A trace id: LEN, 16 bytes or empty (as the Collector's pdata decodes it). */
export const TRACE_ID = 19;
/** A span id: LEN, 8 bytes or empty. */
export const SPAN_ID = 20;

/** The id kinds' required length. */
export const ID_BYTES: Readonly<Record<number, number>> = { [TRACE_ID]: 16, [SPAN_ID]: 8 };

/** A message's part in AnyValue nesting, which is bounded as the JSON reader and the codec bound it. */
export const ANY_VALUE = 1;
/** ArrayValue / KeyValueList: the values inside are one AnyValue level deeper. */
export const VALUE_LIST = 2;

export interface Message {
  readonly name: string;
  /** 0, ANY_VALUE or VALUE_LIST. */
  readonly nesting: number;
  /** Kinds indexed by field number (holes for unknown fields). */
  readonly byNumber: (number | Message | undefined)[];
  /** Proto field names indexed by field number, for error paths. */
  readonly names: (string | undefined)[];
  /** Whether a field is repeated (its path gets an index). */
  readonly repeated: boolean[];
}

/** name -> kind; a name ending in `[]` is a repeated field. Message kinds are thunks (recursive types). */
type Fields = Record<number, readonly [string, number | (() => Message)]>;

function message(name: string, fields: Fields, nesting = 0): Message {
  const m: Message = { name, nesting, byNumber: [], names: [], repeated: [] };
  pending.push(() => {
    const max = Math.max(...Object.keys(fields).map(Number));
    for (let i = 0; i <= max; i++) {
      m.byNumber.push(undefined);
      m.names.push(undefined);
      m.repeated.push(false);
    }
    for (const [k, [field, kind]] of Object.entries(fields)) {
      const n = Number(k);
      const rep = field.endsWith('[]');
      m.names[n] = rep ? field.slice(0, -2) : field;
      m.repeated[n] = rep;
      m.byNumber[n] = typeof kind === 'function' ? kind() : kind;
    }
  });
  return m;
}
const pending: (() => void)[] = [];

const anyValue: Message = message(
  'AnyValue',
  {
    1: ['string_value', STRING],
    2: ['bool_value', VARINT],
    3: ['int_value', VARINT],
    4: ['double_value', FIXED64],
    5: ['array_value', () => arrayValue],
    6: ['kvlist_value', () => kvList],
    7: ['bytes_value', BYTES],
    8: ['string_value_strindex', VARINT],
  },
  ANY_VALUE,
);
const arrayValue: Message = message('ArrayValue', { 1: ['values[]', () => anyValue] }, VALUE_LIST);
const keyValue: Message = message('KeyValue', {
  1: ['key', STRING],
  2: ['value', () => anyValue],
  3: ['key_strindex', VARINT],
});
const kvList: Message = message('KeyValueList', { 1: ['values[]', () => keyValue] }, VALUE_LIST);
const entityRef = message('EntityRef', {
  1: ['schema_url', STRING],
  2: ['type', STRING],
  3: ['id_keys[]', STRING],
  4: ['description_keys[]', STRING],
});
const resource = message('Resource', {
  1: ['attributes[]', () => keyValue],
  2: ['dropped_attributes_count', VARINT],
  3: ['entity_refs[]', () => entityRef],
});
const scope = message('InstrumentationScope', {
  1: ['name', STRING],
  2: ['version', STRING],
  3: ['attributes[]', () => keyValue],
  4: ['dropped_attributes_count', VARINT],
});
const attributes = ['attributes[]', () => keyValue] as const;
const dropped = ['dropped_attributes_count', VARINT] as const;

const event = message('Span.Event', {
  1: ['time_unix_nano', FIXED64],
  2: ['name', STRING],
  3: attributes,
  4: dropped,
});
const link = message('Span.Link', {
  1: ['trace_id', TRACE_ID],
  2: ['span_id', SPAN_ID],
  3: ['trace_state', STRING],
  4: attributes,
  5: dropped,
  6: ['flags', FIXED32],
});
const status = message('Status', { 2: ['message', STRING], 3: ['code', VARINT] });
const span = message('Span', {
  1: ['trace_id', TRACE_ID],
  2: ['span_id', SPAN_ID],
  3: ['trace_state', STRING],
  4: ['parent_span_id', SPAN_ID],
  5: ['name', STRING],
  6: ['kind', VARINT],
  7: ['start_time_unix_nano', FIXED64],
  8: ['end_time_unix_nano', FIXED64],
  9: attributes,
  10: dropped,
  11: ['events[]', () => event],
  12: ['dropped_events_count', VARINT],
  13: ['links[]', () => link],
  14: ['dropped_links_count', VARINT],
  15: ['status', () => status],
  16: ['flags', FIXED32],
});

const exemplar = message('Exemplar', {
  7: ['filtered_attributes[]', () => keyValue],
  2: ['time_unix_nano', FIXED64],
  3: ['as_double', FIXED64],
  6: ['as_int', FIXED64],
  4: ['span_id', SPAN_ID],
  5: ['trace_id', TRACE_ID],
});
const exemplars = ['exemplars[]', () => exemplar] as const;
const start = ['start_time_unix_nano', FIXED64] as const;
const time = ['time_unix_nano', FIXED64] as const;
const numberPoint = message('NumberDataPoint', {
  7: attributes,
  2: start,
  3: time,
  4: ['as_double', FIXED64],
  6: ['as_int', FIXED64],
  5: exemplars,
  8: ['flags', VARINT],
});
const histogramPoint = message('HistogramDataPoint', {
  9: attributes,
  2: start,
  3: time,
  4: ['count', FIXED64],
  5: ['sum', FIXED64],
  6: ['bucket_counts', PACKED_FIXED64],
  7: ['explicit_bounds', PACKED_FIXED64],
  8: exemplars,
  10: ['flags', VARINT],
  11: ['min', FIXED64],
  12: ['max', FIXED64],
});
const buckets = message('Buckets', { 1: ['offset', VARINT], 2: ['bucket_counts', PACKED_VARINT] });
const expPoint = message('ExponentialHistogramDataPoint', {
  1: attributes,
  2: start,
  3: time,
  4: ['count', FIXED64],
  5: ['sum', FIXED64],
  6: ['scale', VARINT],
  7: ['zero_count', FIXED64],
  8: ['positive', () => buckets],
  9: ['negative', () => buckets],
  10: ['flags', VARINT],
  11: exemplars,
  12: ['min', FIXED64],
  13: ['max', FIXED64],
  14: ['zero_threshold', FIXED64],
});
const quantile = message('ValueAtQuantile', { 1: ['quantile', FIXED64], 2: ['value', FIXED64] });
const summaryPoint = message('SummaryDataPoint', {
  7: attributes,
  2: start,
  3: time,
  4: ['count', FIXED64],
  5: ['sum', FIXED64],
  6: ['quantile_values[]', () => quantile],
  8: ['flags', VARINT],
});
const temporality = ['aggregation_temporality', VARINT] as const;
const metric = message('Metric', {
  1: ['name', STRING],
  2: ['description', STRING],
  3: ['unit', STRING],
  5: ['gauge', () => message('Gauge', { 1: ['data_points[]', () => numberPoint] })],
  7: [
    'sum',
    () =>
      message('Sum', {
        1: ['data_points[]', () => numberPoint],
        2: temporality,
        3: ['is_monotonic', VARINT],
      }),
  ],
  9: [
    'histogram',
    () => message('Histogram', { 1: ['data_points[]', () => histogramPoint], 2: temporality }),
  ],
  10: [
    'exponential_histogram',
    () => message('ExponentialHistogram', { 1: ['data_points[]', () => expPoint], 2: temporality }),
  ],
  11: ['summary', () => message('Summary', { 1: ['data_points[]', () => summaryPoint] })],
  12: ['metadata[]', () => keyValue],
});

const logRecord = message('LogRecord', {
  1: time,
  11: ['observed_time_unix_nano', FIXED64],
  2: ['severity_number', VARINT],
  3: ['severity_text', STRING],
  5: ['body', () => anyValue],
  6: attributes,
  7: dropped,
  8: ['flags', FIXED32],
  9: ['trace_id', TRACE_ID],
  10: ['span_id', SPAN_ID],
  12: ['event_name', STRING],
});

function request(level: string, item: string, itemMessage: Message): Message {
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  const scopeLevel = message(`Scope${cap(level)}`, {
    1: ['scope', () => scope],
    2: [`${item}[]`, () => itemMessage],
    3: ['schema_url', STRING],
  });
  const resourceLevel = message(`Resource${cap(level)}`, {
    1: ['resource', () => resource],
    2: [`scope_${level}[]`, () => scopeLevel],
    3: ['schema_url', STRING],
  });
  return message('request', { 1: [`resource_${level}[]`, () => resourceLevel] });
}

export const REQUEST: Record<Signal, Message> = {
  traces: request('spans', 'spans', span),
  metrics: request('metrics', 'metrics', metric),
  logs: request('logs', 'log_records', logRecord),
};

// Resolve the thunks (in creation order; a thunk creating a message queues that message's own thunk).
for (let i = 0; i < pending.length; i++) pending[i]!();
