import { defined } from '@otlp-kafka/core';
import { matchPropertiesConfig, toMatchProperties } from '@otlp-kafka/filter-processor';
import type { AnyValue, AttributeValue, KeyValue } from '@otlp-kafka/pdata';
import { z } from 'zod';
import type { AttributesProcessorOptions } from '../options.js';

/** A YAML value: a scalar, or (as the Collector's FromRaw) a list or a map of values. */
type ConfigValue = string | number | boolean | ConfigValue[] | { [key: string]: ConfigValue };

const configValue: z.ZodType<ConfigValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.array(configValue), z.record(z.string(), configValue)]),
);

/** The Collector's attributes processor config. Strict: an unknown option is an error. */
export const configSchema = z.strictObject({
  actions: z
    .array(
      z.strictObject({
        key: z.string().min(1).optional(),
        // The Collector reads the action in any case (INSERT, Upsert).
        action: z
          .string()
          .transform((a) => a.toLowerCase())
          .pipe(z.enum(['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'])),
        value: configValue.optional(),
        from_attribute: z.string().min(1).optional(),
        from_context: z.string().min(1).optional(),
        pattern: z.string().min(1).optional(),
        converted_type: z.enum(['int', 'double', 'string']).optional(),
      }),
    )
    .min(1),
  include: matchPropertiesConfig.optional(),
  exclude: matchPropertiesConfig.optional(),
});

export type AttributesConfig = z.output<typeof configSchema>;

/** A list or a map becomes an AnyValue (arrayValue / kvlistValue); a scalar stays as it is. */
function toValue(v: ConfigValue): AttributeValue | AnyValue {
  if (Array.isArray(v) || typeof v === 'object') return toAnyValue(v);
  return v;
}

function toAnyValue(v: ConfigValue): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { intValue: BigInt(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(toAnyValue) } };
  const values: KeyValue[] = Object.entries(v).map(([key, value]) => ({ key, value: toAnyValue(value) }));
  return { kvlistValue: { values } };
}

/** Config -> options (snake_case -> camelCase); the options' own checks report what is missing or conflicting. */
export function toOptions(c: AttributesConfig): AttributesProcessorOptions {
  return defined({
    actions: c.actions.map((a) =>
      defined({
        key: a.key,
        action: a.action,
        value: a.value === undefined ? undefined : toValue(a.value),
        fromAttribute: a.from_attribute,
        fromContext: a.from_context,
        pattern: a.pattern,
        convertedType: a.converted_type,
      }),
    ),
    include: c.include && toMatchProperties(c.include),
    exclude: c.exclude && toMatchProperties(c.exclude),
  }) as AttributesProcessorOptions;
}
