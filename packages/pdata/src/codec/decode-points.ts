import type { WireReader } from '../internal/wire-reader.js';
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  KeyValue,
  NumberDataPoint,
  SummaryDataPoint,
  ValueAtQuantile,
} from '../model.js';
import { decodeKeyValue } from './decode-common.js';
import {
  enter,
  messageInfo,
  otherField,
  readBytes,
  readDouble,
  readFixed64,
  readRepeatedDouble,
  readRepeatedFixed64,
  readRepeatedUint64,
  readSfixed64,
  readSint32,
} from './read.js';

const NUMBER_DP = messageInfo('NumberDataPoint', {
  2: 'start_time_unix_nano',
  3: 'time_unix_nano',
  4: 'as_double',
  5: 'exemplars',
  6: 'as_int',
  7: 'attributes',
  8: 'flags',
});
const HISTOGRAM_DP = messageInfo('HistogramDataPoint', {
  2: 'start_time_unix_nano',
  3: 'time_unix_nano',
  4: 'count',
  5: 'sum',
  6: 'bucket_counts',
  7: 'explicit_bounds',
  8: 'exemplars',
  9: 'attributes',
  10: 'flags',
  11: 'min',
  12: 'max',
});
const EXP_DP = messageInfo('ExponentialHistogramDataPoint', {
  1: 'attributes',
  2: 'start_time_unix_nano',
  3: 'time_unix_nano',
  4: 'count',
  5: 'sum',
  6: 'scale',
  7: 'zero_count',
  8: 'positive',
  9: 'negative',
  10: 'flags',
  11: 'exemplars',
  12: 'min',
  13: 'max',
  14: 'zero_threshold',
});
const BUCKETS = messageInfo('ExponentialHistogramDataPoint.Buckets', { 1: 'offset', 2: 'bucket_counts' });
const SUMMARY_DP = messageInfo('SummaryDataPoint', {
  2: 'start_time_unix_nano',
  3: 'time_unix_nano',
  4: 'count',
  5: 'sum',
  6: 'quantile_values',
  7: 'attributes',
  8: 'flags',
});
const QUANTILE = messageInfo('SummaryDataPoint.ValueAtQuantile', { 1: 'quantile', 2: 'value' });
const EXEMPLAR = messageInfo('Exemplar', {
  2: 'time_unix_nano',
  3: 'as_double',
  4: 'span_id',
  5: 'trace_id',
  6: 'as_int',
  7: 'filtered_attributes',
});

/** Internal: throws PdataError. */
export function decodeNumberDataPoint(r: WireReader): NumberDataPoint {
  const outer = enter(r);
  const attributes: KeyValue[] = [];
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let isInt = false;
  let hasValue = false;
  let asDouble = 0;
  let asInt = 0n;
  const exemplars: Exemplar[] = [];
  let flags = 0;
  while (r.pos < r.end) {
    r.field = 'NumberDataPoint';
    const tag = r.tag();
    switch (tag) {
      case (2 << 3) | 1:
        r.field = 'NumberDataPoint.start_time_unix_nano';
        startTimeUnixNano = readFixed64(r);
        break;
      case (3 << 3) | 1:
        r.field = 'NumberDataPoint.time_unix_nano';
        timeUnixNano = readFixed64(r);
        break;
      case (4 << 3) | 1:
        r.field = 'NumberDataPoint.as_double';
        asDouble = readDouble(r);
        hasValue = true;
        isInt = false;
        break;
      case (5 << 3) | 2:
        r.field = 'NumberDataPoint.exemplars';
        exemplars.push(decodeExemplar(r));
        break;
      case (6 << 3) | 1:
        r.field = 'NumberDataPoint.as_int';
        asInt = readSfixed64(r);
        hasValue = true;
        isInt = true;
        break;
      case (7 << 3) | 2:
        r.field = 'NumberDataPoint.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (8 << 3) | 0:
        r.field = 'NumberDataPoint.flags';
        flags = r.varint32();
        break;
      default:
        otherField(r, tag, NUMBER_DP);
    }
  }
  r.end = outer;
  if (!hasValue) return { attributes, startTimeUnixNano, timeUnixNano, exemplars, flags };
  if (isInt) return { attributes, startTimeUnixNano, timeUnixNano, asInt, exemplars, flags };
  return { attributes, startTimeUnixNano, timeUnixNano, asDouble, exemplars, flags };
}

export function decodeHistogramDataPoint(r: WireReader): HistogramDataPoint {
  const outer = enter(r);
  const attributes: KeyValue[] = [];
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0n;
  let sum: number | undefined;
  const bucketCounts: bigint[] = [];
  const explicitBounds: number[] = [];
  const exemplars: Exemplar[] = [];
  let flags = 0;
  let min: number | undefined;
  let max: number | undefined;
  while (r.pos < r.end) {
    r.field = 'HistogramDataPoint';
    const tag = r.tag();
    switch (tag) {
      case (2 << 3) | 1:
        r.field = 'HistogramDataPoint.start_time_unix_nano';
        startTimeUnixNano = readFixed64(r);
        break;
      case (3 << 3) | 1:
        r.field = 'HistogramDataPoint.time_unix_nano';
        timeUnixNano = readFixed64(r);
        break;
      case (4 << 3) | 1:
        r.field = 'HistogramDataPoint.count';
        count = readFixed64(r);
        break;
      case (5 << 3) | 1:
        r.field = 'HistogramDataPoint.sum';
        sum = readDouble(r);
        break;
      case (6 << 3) | 1:
      case (6 << 3) | 2:
        r.field = 'HistogramDataPoint.bucket_counts';
        readRepeatedFixed64(r, tag, bucketCounts);
        break;
      case (7 << 3) | 1:
      case (7 << 3) | 2:
        r.field = 'HistogramDataPoint.explicit_bounds';
        readRepeatedDouble(r, tag, explicitBounds);
        break;
      case (8 << 3) | 2:
        r.field = 'HistogramDataPoint.exemplars';
        exemplars.push(decodeExemplar(r));
        break;
      case (9 << 3) | 2:
        r.field = 'HistogramDataPoint.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (10 << 3) | 0:
        r.field = 'HistogramDataPoint.flags';
        flags = r.varint32();
        break;
      case (11 << 3) | 1:
        r.field = 'HistogramDataPoint.min';
        min = readDouble(r);
        break;
      case (12 << 3) | 1:
        r.field = 'HistogramDataPoint.max';
        max = readDouble(r);
        break;
      default:
        otherField(r, tag, HISTOGRAM_DP);
    }
  }
  r.end = outer;
  const dp: HistogramDataPoint = {
    attributes,
    startTimeUnixNano,
    timeUnixNano,
    count,
    bucketCounts,
    explicitBounds,
    exemplars,
    flags,
  };
  if (sum !== undefined) dp.sum = sum;
  if (min !== undefined) dp.min = min;
  if (max !== undefined) dp.max = max;
  return dp;
}

export function decodeExpDataPoint(r: WireReader): ExponentialHistogramDataPoint {
  const outer = enter(r);
  const attributes: KeyValue[] = [];
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0n;
  let sum: number | undefined;
  let scale = 0;
  let zeroCount = 0n;
  let positive: ExponentialHistogramBuckets | undefined;
  let negative: ExponentialHistogramBuckets | undefined;
  let flags = 0;
  const exemplars: Exemplar[] = [];
  let min: number | undefined;
  let max: number | undefined;
  let zeroThreshold = 0;
  while (r.pos < r.end) {
    r.field = 'ExponentialHistogramDataPoint';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'ExponentialHistogramDataPoint.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (2 << 3) | 1:
        r.field = 'ExponentialHistogramDataPoint.start_time_unix_nano';
        startTimeUnixNano = readFixed64(r);
        break;
      case (3 << 3) | 1:
        r.field = 'ExponentialHistogramDataPoint.time_unix_nano';
        timeUnixNano = readFixed64(r);
        break;
      case (4 << 3) | 1:
        r.field = 'ExponentialHistogramDataPoint.count';
        count = readFixed64(r);
        break;
      case (5 << 3) | 1:
        r.field = 'ExponentialHistogramDataPoint.sum';
        sum = readDouble(r);
        break;
      case (6 << 3) | 0:
        r.field = 'ExponentialHistogramDataPoint.scale';
        scale = readSint32(r);
        break;
      case (7 << 3) | 1:
        r.field = 'ExponentialHistogramDataPoint.zero_count';
        zeroCount = readFixed64(r);
        break;
      case (8 << 3) | 2:
        r.field = 'ExponentialHistogramDataPoint.positive';
        positive = decodeBuckets(r);
        break;
      case (9 << 3) | 2:
        r.field = 'ExponentialHistogramDataPoint.negative';
        negative = decodeBuckets(r);
        break;
      case (10 << 3) | 0:
        r.field = 'ExponentialHistogramDataPoint.flags';
        flags = r.varint32();
        break;
      case (11 << 3) | 2:
        r.field = 'ExponentialHistogramDataPoint.exemplars';
        exemplars.push(decodeExemplar(r));
        break;
      case (12 << 3) | 1:
        r.field = 'ExponentialHistogramDataPoint.min';
        min = readDouble(r);
        break;
      case (13 << 3) | 1:
        r.field = 'ExponentialHistogramDataPoint.max';
        max = readDouble(r);
        break;
      case (14 << 3) | 1:
        r.field = 'ExponentialHistogramDataPoint.zero_threshold';
        zeroThreshold = readDouble(r);
        break;
      default:
        otherField(r, tag, EXP_DP);
    }
  }
  r.end = outer;
  const dp: ExponentialHistogramDataPoint = {
    attributes,
    startTimeUnixNano,
    timeUnixNano,
    count,
    scale,
    zeroCount,
    flags,
    exemplars,
    zeroThreshold,
  };
  if (sum !== undefined) dp.sum = sum;
  if (positive !== undefined) dp.positive = positive;
  if (negative !== undefined) dp.negative = negative;
  if (min !== undefined) dp.min = min;
  if (max !== undefined) dp.max = max;
  return dp;
}

function decodeBuckets(r: WireReader): ExponentialHistogramBuckets {
  const outer = enter(r);
  let offset = 0;
  const bucketCounts: bigint[] = [];
  while (r.pos < r.end) {
    r.field = 'ExponentialHistogramDataPoint.Buckets';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 0:
        r.field = 'ExponentialHistogramDataPoint.Buckets.offset';
        offset = readSint32(r);
        break;
      case (2 << 3) | 0:
      case (2 << 3) | 2:
        r.field = 'ExponentialHistogramDataPoint.Buckets.bucket_counts';
        readRepeatedUint64(r, tag, bucketCounts);
        break;
      default:
        otherField(r, tag, BUCKETS);
    }
  }
  r.end = outer;
  return { offset, bucketCounts };
}

export function decodeSummaryDataPoint(r: WireReader): SummaryDataPoint {
  const outer = enter(r);
  const attributes: KeyValue[] = [];
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0n;
  let sum = 0;
  const quantileValues: ValueAtQuantile[] = [];
  let flags = 0;
  while (r.pos < r.end) {
    r.field = 'SummaryDataPoint';
    const tag = r.tag();
    switch (tag) {
      case (2 << 3) | 1:
        r.field = 'SummaryDataPoint.start_time_unix_nano';
        startTimeUnixNano = readFixed64(r);
        break;
      case (3 << 3) | 1:
        r.field = 'SummaryDataPoint.time_unix_nano';
        timeUnixNano = readFixed64(r);
        break;
      case (4 << 3) | 1:
        r.field = 'SummaryDataPoint.count';
        count = readFixed64(r);
        break;
      case (5 << 3) | 1:
        r.field = 'SummaryDataPoint.sum';
        sum = readDouble(r);
        break;
      case (6 << 3) | 2:
        r.field = 'SummaryDataPoint.quantile_values';
        quantileValues.push(decodeQuantile(r));
        break;
      case (7 << 3) | 2:
        r.field = 'SummaryDataPoint.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (8 << 3) | 0:
        r.field = 'SummaryDataPoint.flags';
        flags = r.varint32();
        break;
      default:
        otherField(r, tag, SUMMARY_DP);
    }
  }
  r.end = outer;
  return { attributes, startTimeUnixNano, timeUnixNano, count, sum, quantileValues, flags };
}

function decodeQuantile(r: WireReader): ValueAtQuantile {
  const outer = enter(r);
  let quantile = 0;
  let value = 0;
  while (r.pos < r.end) {
    r.field = 'SummaryDataPoint.ValueAtQuantile';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 1:
        r.field = 'SummaryDataPoint.ValueAtQuantile.quantile';
        quantile = readDouble(r);
        break;
      case (2 << 3) | 1:
        r.field = 'SummaryDataPoint.ValueAtQuantile.value';
        value = readDouble(r);
        break;
      default:
        otherField(r, tag, QUANTILE);
    }
  }
  r.end = outer;
  return { quantile, value };
}

function decodeExemplar(r: WireReader): Exemplar {
  const outer = enter(r);
  const filteredAttributes: KeyValue[] = [];
  let timeUnixNano = 0n;
  let hasValue = false;
  let isInt = false;
  let asDouble = 0;
  let asInt = 0n;
  let spanId: Uint8Array | undefined;
  let traceId: Uint8Array | undefined;
  while (r.pos < r.end) {
    r.field = 'Exemplar';
    const tag = r.tag();
    switch (tag) {
      case (2 << 3) | 1:
        r.field = 'Exemplar.time_unix_nano';
        timeUnixNano = readFixed64(r);
        break;
      case (3 << 3) | 1:
        r.field = 'Exemplar.as_double';
        asDouble = readDouble(r);
        hasValue = true;
        isInt = false;
        break;
      case (4 << 3) | 2:
        r.field = 'Exemplar.span_id';
        spanId = readBytes(r);
        break;
      case (5 << 3) | 2:
        r.field = 'Exemplar.trace_id';
        traceId = readBytes(r);
        break;
      case (6 << 3) | 1:
        r.field = 'Exemplar.as_int';
        asInt = readSfixed64(r);
        hasValue = true;
        isInt = true;
        break;
      case (7 << 3) | 2:
        r.field = 'Exemplar.filtered_attributes';
        filteredAttributes.push(decodeKeyValue(r));
        break;
      default:
        otherField(r, tag, EXEMPLAR);
    }
  }
  r.end = outer;
  const ex: Exemplar = {
    filteredAttributes,
    timeUnixNano,
    spanId: spanId ?? new Uint8Array(0),
    traceId: traceId ?? new Uint8Array(0),
  };
  if (hasValue) {
    if (isInt) ex.asInt = asInt;
    else ex.asDouble = asDouble;
  }
  return ex;
}
