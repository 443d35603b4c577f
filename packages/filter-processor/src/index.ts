export { createFilterProcessor } from './filter-processor.js';
export { filterProcessorFactory } from './factory.js';
export {
  DEFAULTS as FILTER_PROCESSOR_DEFAULTS,
  type FilterProcessorOptions,
  type LogsFilter,
  type MetricsFilter,
  type SignalFilter,
  type TracesFilter,
} from './options.js';
export {
  createItemMatcher,
  matchPropertiesConfig,
  toMatchProperties,
  type AttributeMatch,
  type IncludeExclude,
  type ItemMatcher,
  type MatchProperties,
  type MatchPropertiesConfig,
} from './match.js';
