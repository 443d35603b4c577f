import { defined, invalidOptions } from '@otlp-kafka/core';
import type { AnyValue, ItemView, Signal } from '@otlp-kafka/pdata';
import { z } from 'zod';
import { scalarOf, SEVERITY_NUMBERS, SPAN_KINDS } from './internal/values.js';

/** An attribute to match: its key, and (optional) its value; without a value, the key's presence. */
export interface AttributeMatch {
  readonly key: string;
  readonly value?: string | number | boolean;
}

/**
 * The Collector's match properties (filterconfig.MatchProperties) as used by
 * the `filter` processor's legacy `include` / `exclude` and by the
 * `attributes` processor. Every property given must match (and); within a
 * list of names any entry may match (or); every listed attribute must match.
 * Properties of another signal are ignored (span_names for a log record).
 */
export interface MatchProperties {
  /** How names and string values compare: exactly, or as regular expressions (anchored nowhere, as Go's). */
  readonly matchType: 'strict' | 'regexp';
  /** Resource attribute service.name. */
  readonly services?: readonly string[];
  readonly spanNames?: readonly string[];
  /** SPAN_KIND_SERVER, ... (or Server, server). */
  readonly spanKinds?: readonly string[];
  readonly logBodies?: readonly string[];
  readonly logSeverityTexts?: readonly string[];
  /** Log records with severity_number >= min (a number or a name: INFO, WARN4, ...); matchUndefined also takes unset ones. */
  readonly logSeverityNumber?: { readonly min: number | string; readonly matchUndefined?: boolean };
  readonly metricNames?: readonly string[];
  readonly attributes?: readonly AttributeMatch[];
  readonly resources?: readonly AttributeMatch[];
  /** Instrumentation scopes by name (and version when given). */
  readonly libraries?: readonly { readonly name: string; readonly version?: string }[];
}

export interface IncludeExclude {
  /** Items must match this. Default: every item. */
  readonly include?: MatchProperties;
  /** Items must not match this. Default: none excluded. */
  readonly exclude?: MatchProperties;
}

/** A predicate over items: true for items that match include (if any) and not exclude (if any). */
export type ItemMatcher = (item: ItemView) => boolean;

/**
 * Compiles include / exclude for one signal. Throws an ERR_INVALID_OPTIONS
 * PipelineError naming the property (a bad regular expression, an unknown
 * span kind or severity) at construction, never per item.
 */
export function createItemMatcher(signal: Signal, props: IncludeExclude, component = 'match'): ItemMatcher {
  const include = props.include ? compile(signal, props.include, `${component}: include`) : undefined;
  const exclude = props.exclude ? compile(signal, props.exclude, `${component}: exclude`) : undefined;
  if (include && exclude) return (item) => include(item) && !exclude(item);
  if (include) return include;
  if (exclude) return (item) => !exclude(item);
  return () => true;
}

type Test = (item: ItemView) => boolean;

function compile(signal: Signal, p: MatchProperties, where: string): Test {
  if (p.matchType !== 'strict' && p.matchType !== 'regexp')
    throw invalidOptions(where, `matchType must be "strict" or "regexp", got ${JSON.stringify(p.matchType)}`);
  const str = (patterns: readonly string[], name: string) =>
    stringTest(p.matchType, patterns, `${where}: ${name}`);
  const tests: Test[] = [];
  if (p.services?.length) {
    const t = str(p.services, 'services');
    tests.push((i) => t(stringOf(i.resourceAttribute('service.name'))));
  }
  if (p.libraries?.length) {
    const libs = p.libraries.map((l, n) => ({
      name: str([l.name], `libraries[${n}].name`),
      version: l.version === undefined ? undefined : str([l.version], `libraries[${n}].version`),
    }));
    tests.push((i) => libs.some((l) => l.name(i.scopeName()) && (!l.version || l.version(i.scopeVersion()))));
  }
  if (p.resources?.length)
    tests.push(attributesTest(p.matchType, p.resources, `${where}: resources`, 'resource'));
  if (p.attributes?.length)
    tests.push(attributesTest(p.matchType, p.attributes, `${where}: attributes`, 'item'));
  if (signal === 'traces') {
    if (p.spanNames?.length) {
      const t = str(p.spanNames, 'span_names');
      tests.push((i) => t(i.name()));
    }
    if (p.spanKinds?.length) {
      const kinds = new Set(
        p.spanKinds.map((k) => {
          const v = SPAN_KINDS.get(k.toUpperCase().replace(/^(SPAN_KIND_)?/, 'SPAN_KIND_'));
          if (v === undefined)
            throw invalidOptions(`${where}: span_kinds`, `unknown span kind ${JSON.stringify(k)}`);
          return v;
        }),
      );
      tests.push((i) => kinds.has(i.kind()));
    }
  }
  if (signal === 'logs') {
    if (p.logBodies?.length) {
      const t = str(p.logBodies, 'log_bodies');
      tests.push((i) => t(stringOf(i.body())));
    }
    if (p.logSeverityTexts?.length) {
      const t = str(p.logSeverityTexts, 'log_severity_texts');
      tests.push((i) => t(i.severityText()));
    }
    if (p.logSeverityNumber) {
      const min = severityNumber(p.logSeverityNumber.min, `${where}: log_severity_number.min`);
      const undef = p.logSeverityNumber.matchUndefined ?? false;
      tests.push((i) => {
        const s = i.severityNumber();
        return s === 0 ? undef : s >= min;
      });
    }
  }
  if (signal === 'metrics' && p.metricNames?.length) {
    const t = str(p.metricNames, 'metric_names');
    tests.push((i) => t(i.metricName()));
  }
  return (item) => {
    for (const t of tests) if (!t(item)) return false;
    return true;
  };
}

function stringTest(
  matchType: 'strict' | 'regexp',
  patterns: readonly string[],
  where: string,
): (s: string | undefined) => boolean {
  if (matchType === 'strict') {
    const set = new Set(patterns);
    return (s) => s !== undefined && set.has(s);
  }
  const res = patterns.map((p) => regexp(p, where));
  return (s) => s !== undefined && res.some((re) => re.test(s));
}

function attributesTest(
  matchType: 'strict' | 'regexp',
  attrs: readonly AttributeMatch[],
  where: string,
  of: 'item' | 'resource',
): Test {
  const checks = attrs.map((a, n) => {
    if (typeof a.key !== 'string' || a.key === '')
      throw invalidOptions(`${where}[${n}]`, 'key must be a non-empty string');
    if (a.value === undefined) return { key: a.key, test: (v: AnyValue | undefined) => v !== undefined };
    if (matchType === 'regexp') {
      if (typeof a.value !== 'string')
        throw invalidOptions(
          `${where}[${n}]`,
          'with match_type regexp, value must be a string (a regular expression)',
        );
      const re = regexp(a.value, `${where}[${n}].value`);
      return {
        key: a.key,
        test: (v: AnyValue | undefined) => typeof scalarOf(v) === 'string' && re.test(scalarOf(v) as string),
      };
    }
    const want = a.value;
    return { key: a.key, test: (v: AnyValue | undefined) => equalsScalar(scalarOf(v), want) };
  });
  return of === 'item'
    ? (i) => checks.every((c) => c.test(i.attribute(c.key)))
    : (i) => checks.every((c) => c.test(i.resourceAttribute(c.key)));
}

function equalsScalar(v: ReturnType<typeof scalarOf>, want: string | number | boolean): boolean {
  if (typeof v === 'bigint') return typeof want === 'number' && Number.isInteger(want) && v === BigInt(want);
  return v === want;
}

function regexp(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw invalidOptions(
      where,
      `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`,
    );
  }
}

function stringOf(v: AnyValue | undefined): string | undefined {
  const s = scalarOf(v);
  return typeof s === 'string' ? s : undefined;
}

function severityNumber(v: number | string, where: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 24)
      throw invalidOptions(where, `must be 0-24 or a severity name, got ${v}`);
    return v;
  }
  const n = SEVERITY_NUMBERS.get(v.toUpperCase().replace(/^(SEVERITY_NUMBER_)?/, 'SEVERITY_NUMBER_'));
  if (n === undefined)
    throw invalidOptions(
      where,
      `unknown severity ${JSON.stringify(v)} (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, optionally 2-4)`,
    );
  return n;
}

const attributeMatchConfig = z.strictObject({
  key: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

/** The Collector's snake_case match properties, for config files. */
export const matchPropertiesConfig = z.strictObject({
  match_type: z.enum(['strict', 'regexp']),
  services: z.array(z.string()).optional(),
  span_names: z.array(z.string()).optional(),
  span_kinds: z.array(z.string()).optional(),
  log_bodies: z.array(z.string()).optional(),
  log_severity_texts: z.array(z.string()).optional(),
  log_severity_number: z
    .strictObject({ min: z.union([z.number(), z.string()]), match_undefined: z.boolean().optional() })
    .optional(),
  metric_names: z.array(z.string()).optional(),
  attributes: z.array(attributeMatchConfig).optional(),
  resources: z.array(attributeMatchConfig).optional(),
  // The Collector also calls this resource_attributes in the logs and metrics sections.
  resource_attributes: z.array(attributeMatchConfig).optional(),
  record_attributes: z.array(attributeMatchConfig).optional(),
  libraries: z.array(z.strictObject({ name: z.string(), version: z.string().optional() })).optional(),
});

export type MatchPropertiesConfig = z.output<typeof matchPropertiesConfig>;

/** Config -> options (snake_case -> camelCase; resource_attributes / record_attributes are aliases). */
export function toMatchProperties(c: MatchPropertiesConfig): MatchProperties {
  return defined({
    matchType: c.match_type,
    services: c.services,
    spanNames: c.span_names,
    spanKinds: c.span_kinds,
    logBodies: c.log_bodies,
    logSeverityTexts: c.log_severity_texts,
    logSeverityNumber:
      c.log_severity_number &&
      defined({ min: c.log_severity_number.min, matchUndefined: c.log_severity_number.match_undefined }),
    metricNames: c.metric_names,
    attributes:
      c.attributes || c.record_attributes
        ? [...(c.attributes ?? []), ...(c.record_attributes ?? [])]
        : undefined,
    resources:
      c.resources || c.resource_attributes
        ? [...(c.resources ?? []), ...(c.resource_attributes ?? [])]
        : undefined,
    libraries: c.libraries,
  }) as MatchProperties;
}
