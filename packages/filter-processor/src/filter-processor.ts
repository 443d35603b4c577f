import {
  createFunctionProcessor,
  getLogger,
  getMeter,
  invalidOptions,
  PipelineError,
  permanent,
  type ProcessorFactory,
} from '@otlp-kafka/core';
import { filterItems, type Batch, type ItemView, type Signal } from '@otlp-kafka/pdata';
import { compileCondition, OttlError, type Condition } from './internal/ottl.js';
import type { OttlContext } from './internal/ottl-paths.js';
import { createItemMatcher } from './match.js';
import { DEFAULTS, type FilterProcessorOptions, type SignalFilter } from './options.js';

const FILTERED_METRIC: Record<Signal, string> = {
  traces: 'otelcol_processor_filter_spans.filtered',
  logs: 'otelcol_processor_filter_logs.filtered',
  metrics: 'otelcol_processor_filter_datapoints.filtered',
};

/**
 * The filter processor: drops spans, log records and metric data points on
 * the wire, by the Collector's match properties (include / exclude) and by
 * OTTL conditions. Scopes, metrics and resources left empty are removed; a
 * batch left with no items is answered ok without being passed on. Options
 * (every condition, pattern and name) are checked here, once.
 */
export function createFilterProcessor(options: FilterProcessorOptions): ProcessorFactory {
  const name = options.name ?? DEFAULTS.name;
  const errorMode = options.errorMode ?? DEFAULTS.errorMode;
  const component = `filter-processor ${name}`;
  if (!['propagate', 'ignore', 'silent'].includes(errorMode))
    throw invalidOptions(
      component,
      `errorMode must be propagate, ignore or silent, got ${JSON.stringify(errorMode)}`,
    );
  const keep: Partial<Record<Signal, (item: ItemView) => boolean>> = {};
  if (options.traces)
    keep.traces = compileSignal('traces', options.traces, { span: options.traces.span }, component);
  if (options.logs)
    keep.logs = compileSignal('logs', options.logs, { log_record: options.logs.logRecord }, component);
  if (options.metrics)
    keep.metrics = compileSignal(
      'metrics',
      options.metrics,
      { metric: options.metrics.metric, datapoint: options.metrics.datapoint },
      component,
    );
  const logger = getLogger(options, 'filter-processor');
  const meter = getMeter(options, 'filter-processor');
  const filtered = Object.fromEntries(
    (Object.keys(FILTERED_METRIC) as Signal[]).map((s) => [
      s,
      meter.createCounter(FILTERED_METRIC[s], {
        description: `Number of ${s} items dropped by the filter processor.`,
        unit: '1',
      }),
    ]),
  ) as Record<Signal, ReturnType<typeof meter.createCounter>>;
  const attributes = { filter: name };
  return createFunctionProcessor({
    name,
    logger,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs,
    process: (batch: Batch) => {
      const predicate = keep[batch.signal];
      if (!predicate) return batch;
      const out = filterItems(batch, predicate);
      if (out.isErr()) {
        if (errorMode === 'propagate')
          return permanent(
            new PipelineError(
              'ERR_INVALID_DATA',
              `${component}: cannot read the batch: ${out.error.message}`,
              {
                cause: out.error,
              },
            ),
          );
        if (errorMode === 'ignore')
          logger.warn({ err: out.error }, `${component}: batch passed on unfiltered`);
        return batch;
      }
      const dropped = batch.itemCount - out.value.itemCount;
      if (dropped > 0) filtered[batch.signal].add(dropped, attributes);
      return out.value;
    },
  });
}

function compileSignal(
  signal: Signal,
  f: SignalFilter,
  conditions: Partial<Record<OttlContext, readonly string[] | undefined>>,
  component: string,
): (item: ItemView) => boolean {
  const section = signal;
  const match = f.include || f.exclude ? createItemMatcher(signal, f, `${component}: ${section}`) : undefined;
  const compiled: Condition[] = [];
  for (const [context, list] of Object.entries(conditions) as [
    OttlContext,
    readonly string[] | undefined,
  ][]) {
    if (list === undefined) continue;
    if (!Array.isArray(list))
      throw invalidOptions(component, `${section}.${context} must be a list of OTTL conditions`);
    list.forEach((source, i) => {
      if (typeof source !== 'string' || source.trim() === '')
        throw invalidOptions(component, `${section}.${context}[${i}] must be a non-empty OTTL condition`);
      try {
        compiled.push(compileCondition(source, context));
      } catch (e) {
        if (!(e instanceof OttlError)) throw e;
        throw invalidOptions(
          component,
          `${section}.${context}[${i}] ${JSON.stringify(source)}: ${e.message}`,
        );
      }
    });
  }
  if (!match && compiled.length === 0) return () => true;
  return (item) => {
    if (match && !match(item)) return false;
    for (const c of compiled) if (c(item)) return false;
    return true;
  };
}
