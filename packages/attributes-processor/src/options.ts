import { z } from 'zod';
import type { Assert, DefaultsOf, SchemaMatches, TelemetryOptions } from '@otlp-kafka/core';
import type { MatchProperties } from '@otlp-kafka/filter-processor';
import type { AnyValue, AttributeValue } from '@otlp-kafka/pdata';

/** What an action does to the attributes of an item (the Collector's attributes processor actions). */
export type AttributeActionKind = 'insert' | 'update' | 'upsert' | 'delete' | 'hash' | 'extract' | 'convert';

/**
 * One action, as an entry of the Collector's attributes processor `actions`
 * list (from_attribute -> fromAttribute, from_context -> fromContext,
 * converted_type -> convertedType).
 *
 * - insert / update / upsert: `key` and exactly one of `value`, `fromAttribute`
 *   (another attribute of the same item; skipped when absent) or `fromContext`
 *   (`metadata.<header>`: the first value of that request header; skipped when absent).
 * - delete / hash: `key` and/or `pattern` (a regular expression over attribute keys).
 * - extract: `key` (a string attribute, left as it is) and `pattern`, whose named
 *   groups become string attributes (overwritten when present).
 * - convert: `key` and `convertedType` (int, double or string); a value that
 *   cannot be converted is left as it is.
 */
export interface AttributeAction {
  readonly key?: string;
  readonly action: AttributeActionKind;
  readonly value?: AttributeValue | AnyValue;
  readonly fromAttribute?: string;
  readonly fromContext?: string;
  readonly pattern?: string;
  readonly convertedType?: 'int' | 'double' | 'string';
}

export interface AttributesProcessorOptions extends TelemetryOptions {
  /** The actions, applied in order to the attributes of every span, log record and data point. Required, at least one. */
  actions: readonly AttributeAction[];
  /** Only items matching these properties are acted on (filter-processor's match properties). Default: every item. */
  include?: MatchProperties;
  /** Items matching these properties are left as they are. Default: none. */
  exclude?: MatchProperties;
  /** Used in messages. Default 'attributes'. */
  name?: string;
  /** How long shutdown waits for batches still being passed on. Default 5000. */
  shutdownTimeoutMs?: number;
}

export const DEFAULTS = {
  name: 'attributes',
  shutdownTimeoutMs: 5000,
} as const satisfies DefaultsOf<AttributesProcessorOptions>;

const ANY_VALUE_KEYS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
];

function isAnyValue(v: unknown): v is AnyValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
  return keys.length === 1 && ANY_VALUE_KEYS.includes(keys[0]!);
}

const attributeValue = z.union(
  [
    z.string(),
    z.number().refine(Number.isFinite, 'must be a finite number'),
    z.boolean(),
    z.bigint().refine((v) => BigInt.asIntN(64, v) === v, 'a bigint must be within int64'),
    z.custom<AnyValue>(isAnyValue),
  ],
  {
    error:
      'must be a string, a finite number, a boolean, a bigint within int64 or an AnyValue with one field set',
  },
) satisfies z.ZodType<AttributeValue | AnyValue>;

const nonEmpty = z.string().min(1, 'must be a non-empty string');
const WITH_VALUE = new Set<AttributeActionKind>(['insert', 'update', 'upsert']);
const METADATA_PREFIX = 'metadata.';

const action = z
  .object({
    key: nonEmpty.optional(),
    action: z.enum(['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert']),
    value: attributeValue.optional(),
    fromAttribute: nonEmpty.optional(),
    fromContext: nonEmpty.optional(),
    pattern: nonEmpty.optional(),
    convertedType: z.enum(['int', 'double', 'string']).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const what = a.key === undefined ? a.action : `${a.action} of "${a.key}"`;
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const sources = (['value', 'fromAttribute', 'fromContext'] as const).filter((f) => a[f] !== undefined);
    if (a.key === undefined && !(a.action === 'delete' || a.action === 'hash'))
      issue('key', `${a.action} needs key`);
    if (a.key === undefined && a.pattern === undefined && (a.action === 'delete' || a.action === 'hash'))
      issue('key', `${a.action} needs key or pattern (or both)`);
    if (WITH_VALUE.has(a.action)) {
      if (sources.length === 0) issue('value', `${what} needs value, fromAttribute or fromContext`);
      if (sources.length > 1)
        issue(
          sources[1]!,
          `${what} takes one of value, fromAttribute or fromContext, got ${sources.join(' and ')}`,
        );
      if (a.pattern !== undefined) issue('pattern', `${what} takes no pattern`);
    } else if (sources.length > 0) {
      issue(sources[0]!, `${what} takes no value, fromAttribute or fromContext`);
    }
    if (a.action === 'extract' && a.pattern === undefined)
      issue('pattern', `${what} needs pattern (a regular expression with named groups)`);
    if (a.action === 'convert') {
      if (a.convertedType === undefined)
        issue('convertedType', `${what} needs convertedType (int, double or string)`);
      if (a.pattern !== undefined) issue('pattern', `${what} takes no pattern`);
    } else if (a.convertedType !== undefined) issue('convertedType', `${what} takes no convertedType`);
    if (
      a.fromContext !== undefined &&
      (!a.fromContext.startsWith(METADATA_PREFIX) || a.fromContext.length === METADATA_PREFIX.length)
    )
      issue(
        'fromContext',
        `${what}: only "metadata.<header>" is supported as fromContext, got ${JSON.stringify(a.fromContext)}`,
      );
  });

// filter-processor's createItemMatcher checks the properties themselves (at construction, naming the property).
const matchProperties = z.custom<MatchProperties>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'must be match properties ({ matchType, ... })',
);

export const optionsSchema = z
  .object({
    actions: z.array(action).min(1, 'at least one action is required').readonly(),
    include: matchProperties.optional(),
    exclude: matchProperties.optional(),
    name: z.string().min(1).default(DEFAULTS.name),
    shutdownTimeoutMs: z.number().int().nonnegative().default(DEFAULTS.shutdownTimeoutMs),
    meterProvider: z.any().optional(),
    logger: z.any().optional(),
  })
  .strict();

/** Compile-time: the schema accepts exactly the options of the interface. @typecheck */
export type OptionsCheck = Assert<SchemaMatches<z.input<typeof optionsSchema>, AttributesProcessorOptions>>;
