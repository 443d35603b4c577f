import { z } from 'zod';
import type { Assert, DefaultsOf, SchemaMatches, TelemetryOptions } from '@otlp-kafka/core';
import type { AttributeValue, ResourceAction } from '@otlp-kafka/pdata';

/** One edit, as an entry of the Collector's resource processor `attributes` list (from_attribute -> fromAttribute). */
export type ResourceAttributeAction = ResourceAction;

export interface ResourceProcessorOptions extends TelemetryOptions {
  /** The edits, applied in order to the resource of every ResourceSpans / ResourceMetrics / ResourceLogs. Required, at least one. */
  attributes: readonly ResourceAttributeAction[];
  /** Used in messages. Default 'resource'. */
  name?: string;
  /** How long shutdown waits for batches still being passed on. Default 5000. */
  shutdownTimeoutMs?: number;
}

export const DEFAULTS = {
  name: 'resource',
  shutdownTimeoutMs: 5000,
} as const satisfies DefaultsOf<ResourceProcessorOptions>;

const attributeValue = z.union([
  z.string(),
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.boolean(),
  z.bigint(),
]) satisfies z.ZodType<AttributeValue>;

const WITH_VALUE = new Set(['insert', 'update', 'upsert']);

const action = z
  .object({
    key: z.string().min(1, 'must be a non-empty string'),
    action: z.enum(['insert', 'update', 'upsert', 'delete', 'hash']),
    value: attributeValue.optional(),
    fromAttribute: z.string().min(1, 'must be a non-empty string').optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const hasValue = a.value !== undefined;
    const hasFrom = a.fromAttribute !== undefined;
    if (WITH_VALUE.has(a.action)) {
      if (!hasValue && !hasFrom)
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `${a.action} of "${a.key}" needs value or fromAttribute`,
        });
      if (hasValue && hasFrom)
        ctx.addIssue({
          code: 'custom',
          path: ['fromAttribute'],
          message: `${a.action} of "${a.key}" takes value or fromAttribute, not both`,
        });
    } else if (hasValue || hasFrom) {
      ctx.addIssue({
        code: 'custom',
        path: [hasValue ? 'value' : 'fromAttribute'],
        message: `${a.action} of "${a.key}" takes no value or fromAttribute`,
      });
    }
  });

export const optionsSchema = z
  .object({
    attributes: z.array(action).min(1, 'at least one attribute action is required').readonly(),
    name: z.string().min(1).default(DEFAULTS.name),
    shutdownTimeoutMs: z.number().int().nonnegative().default(DEFAULTS.shutdownTimeoutMs),
    meterProvider: z.any().optional(),
    logger: z.any().optional(),
  })
  .strict();

/** Compile-time: the schema accepts exactly the options of the interface. @typecheck */
export type OptionsCheck = Assert<SchemaMatches<z.input<typeof optionsSchema>, ResourceProcessorOptions>>;
