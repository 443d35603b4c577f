import { SeverityNumber, SpanKind, StatusCode, type AnyValue } from '@otlp-kafka/pdata';

/** A scalar read from an AnyValue (int_value stays a bigint); undefined for absent, arrays, kvlists and bytes. */
export type Scalar = string | number | bigint | boolean | undefined;

export function scalarOf(v: AnyValue | undefined): Scalar {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return v.intValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return undefined;
}

const prefixed = (prefix: string, o: Record<string, number>): Map<string, number> =>
  new Map(Object.entries(o).map(([k, v]) => [`${prefix}${k}`, v]));

/** SPAN_KIND_SERVER -> 2, ... */
export const SPAN_KINDS = prefixed('SPAN_KIND_', SpanKind);
/** SEVERITY_NUMBER_INFO -> 9, ... */
export const SEVERITY_NUMBERS = prefixed('SEVERITY_NUMBER_', SeverityNumber);
/** STATUS_CODE_ERROR -> 2, ... */
export const STATUS_CODES = prefixed('STATUS_CODE_', {
  UNSET: StatusCode.UNSET,
  OK: StatusCode.OK,
  ERROR: StatusCode.ERROR,
});
/** METRIC_DATA_TYPE_SUM -> 'sum', ... (OTTL's metric.type compares with these). */
export const METRIC_DATA_TYPES = new Map<string, string>([
  ['METRIC_DATA_TYPE_GAUGE', 'gauge'],
  ['METRIC_DATA_TYPE_SUM', 'sum'],
  ['METRIC_DATA_TYPE_HISTOGRAM', 'histogram'],
  ['METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM', 'exponential_histogram'],
  ['METRIC_DATA_TYPE_SUMMARY', 'summary'],
]);
