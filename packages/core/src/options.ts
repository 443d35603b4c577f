import type { z } from 'zod';
import { invalidOptions } from './errors.js';

/**
 * Validates a component's options against its zod schema at construction and
 * throws one ERR_INVALID_OPTIONS error naming every bad option and why.
 */
export function parseOptions<S extends z.ZodType>(component: string, schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`,
  );
  throw invalidOptions(component, `invalid options: ${problems.join('; ')}`);
}
