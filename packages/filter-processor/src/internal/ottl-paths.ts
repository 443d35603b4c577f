import type { ItemView } from '@otlp-kafka/pdata';
import { scalarOf, type Scalar } from './values.js';

/** The OTTL contexts the filter processor evaluates: span, log_record, datapoint, metric (per data point). */
export type OttlContext = 'span' | 'log_record' | 'datapoint' | 'metric';

type Getter = (item: ItemView) => Scalar;

const COMMON: Record<string, Getter> = {
  'instrumentation_scope.name': (i) => i.scopeName(),
  'instrumentation_scope.version': (i) => i.scopeVersion(),
};

const METRIC: Record<string, Getter> = {
  'metric.name': (i) => i.metricName(),
  'metric.unit': (i) => i.metricUnit(),
  'metric.description': (i) => i.metricDescription(),
  'metric.type': (i) => i.metricType(),
};

const PATHS: Record<OttlContext, Record<string, Getter>> = {
  span: {
    ...COMMON,
    name: (i) => i.name(),
    kind: (i) => i.kind(),
    'status.code': (i) => i.statusCode(),
    'status.message': (i) => i.statusMessage(),
    'trace_id.string': (i) => i.traceId(),
    'span_id.string': (i) => i.spanId(),
    'parent_span_id.string': (i) => i.parentSpanId(),
    trace_state: (i) => i.traceState(),
    start_time_unix_nano: (i) => i.startTimeUnixNano(),
    end_time_unix_nano: (i) => i.endTimeUnixNano(),
  },
  log_record: {
    ...COMMON,
    body: (i) => scalarOf(i.body()),
    severity_number: (i) => i.severityNumber(),
    severity_text: (i) => i.severityText(),
    time_unix_nano: (i) => i.timeUnixNano(),
    event_name: (i) => i.name(),
    'trace_id.string': (i) => i.traceId(),
    'span_id.string': (i) => i.spanId(),
  },
  datapoint: {
    ...COMMON,
    ...METRIC,
    time_unix_nano: (i) => i.timeUnixNano(),
    start_time_unix_nano: (i) => i.startTimeUnixNano(),
  },
  metric: {
    ...COMMON,
    name: (i) => i.metricName(),
    unit: (i) => i.metricUnit(),
    description: (i) => i.metricDescription(),
    type: (i) => i.metricType(),
  },
};

/** A getter for `path` (with its map `key`, if indexed) in `context`, or a message saying why there is none. */
export function pathGetter(context: OttlContext, path: string, key: string | undefined): Getter | string {
  const isAttributes = path === 'attributes' && context !== 'metric';
  if (isAttributes || path === 'resource.attributes') {
    if (key === undefined) return `${path} needs a key, e.g. ${path}["service.name"]`;
    return isAttributes ? (i) => scalarOf(i.attribute(key)) : (i) => scalarOf(i.resourceAttribute(key));
  }
  if (key !== undefined) return `${path} is not a map`;
  const get = PATHS[context][path];
  if (get) return get;
  const known = [
    ...Object.keys(PATHS[context]),
    context === 'metric' ? '' : 'attributes[...]',
    'resource.attributes[...]',
  ]
    .filter(Boolean)
    .join(', ');
  return `unknown path ${JSON.stringify(path)} in the ${context} context (known: ${known})`;
}
