import { z } from 'zod';

// Collector config units, shared by every factory's snake_case schema. They live
// in core (not in @otlp-kafka/config) so a component package can define its
// schema without depending on the config layer that looks it up.

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go-style duration ("5s", "100ms", "1m30s", "0") into milliseconds.
 * A bare integer is nanoseconds, as in the Collector's YAML.
 */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value / 1e6 : undefined;
  const s = value.trim();
  if (s === '0') return 0;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  return total;
}

/** A zod schema for a duration string (or nanoseconds), output in milliseconds. */
export const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDurationMs(v);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid duration ${JSON.stringify(v)}: use e.g. "5s", "100ms", "1m30s"`,
    });
    return z.NEVER;
  }
  return ms;
});

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Sizes: a number of bytes, or "10MiB", "512KB", "1GiB". */
export const byteSize = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(v.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid size ${JSON.stringify(v)}: use bytes or e.g. "10MiB", "512KB"`,
    });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * unit);
});

/** `grpc:` with no value in YAML means "enabled, defaults". */
export const section = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? {} : v), schema);

/** Drops undefined fields, so a mapped config leaves every unset option to the component's default. */
export const defined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
