import { z } from 'zod';
import { matchPropertiesConfig, toMatchProperties, type MatchPropertiesConfig } from '../match.js';
import type { FilterProcessorOptions } from '../options.js';

const conditions = z.array(z.string().min(1)).optional();
const legacy = { include: matchPropertiesConfig.optional(), exclude: matchPropertiesConfig.optional() };

/**
 * The Collector's filter processor config: OTTL conditions per context
 * (`traces.span`, `logs.log_record`, `metrics.metric`, `metrics.datapoint`)
 * and the legacy match properties (`spans` / `logs` / `metrics` with
 * `include` / `exclude`). Strict: an unknown key (`traces.spanevent`, which
 * is not supported) is an error naming it.
 */
export const configSchema = z.strictObject({
  error_mode: z.enum(['propagate', 'ignore', 'silent']).optional(),
  traces: z.strictObject({ span: conditions }).optional(),
  spans: z.strictObject(legacy).optional(),
  logs: z.strictObject({ log_record: conditions, ...legacy }).optional(),
  metrics: z.strictObject({ metric: conditions, datapoint: conditions, ...legacy }).optional(),
});

export type FilterConfig = z.output<typeof configSchema>;

const props = (c: { include?: MatchPropertiesConfig; exclude?: MatchPropertiesConfig } | undefined) => ({
  ...(c?.include ? { include: toMatchProperties(c.include) } : {}),
  ...(c?.exclude ? { exclude: toMatchProperties(c.exclude) } : {}),
});

/** Config -> options (snake_case -> camelCase; `spans` and `traces` meet in `traces`). */
export function toOptions(c: FilterConfig): FilterProcessorOptions {
  const out: { -readonly [K in keyof FilterProcessorOptions]: FilterProcessorOptions[K] } = {};
  if (c.error_mode) out.errorMode = c.error_mode;
  if (c.traces || c.spans)
    out.traces = { ...props(c.spans), ...(c.traces?.span ? { span: c.traces.span } : {}) };
  if (c.logs) out.logs = { ...props(c.logs), ...(c.logs.log_record ? { logRecord: c.logs.log_record } : {}) };
  if (c.metrics)
    out.metrics = {
      ...props(c.metrics),
      ...(c.metrics.metric ? { metric: c.metrics.metric } : {}),
      ...(c.metrics.datapoint ? { datapoint: c.metrics.datapoint } : {}),
    };
  return out;
}
