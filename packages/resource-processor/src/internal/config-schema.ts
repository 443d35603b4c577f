import { defined } from '@otlp-kafka/core';
import { z } from 'zod';
import type { ResourceProcessorOptions } from '../options.js';

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

/** The Collector's resource processor config. Strict: an unknown option is an error. */
export const configSchema = z.strictObject({
  attributes: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        action: z.enum(['insert', 'update', 'upsert', 'delete', 'hash']),
        value: attributeValue.optional(),
        from_attribute: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

export type ResourceConfig = z.output<typeof configSchema>;

/** Config -> options (from_attribute -> fromAttribute); the options' own checks report what is missing. */
export function toOptions(c: ResourceConfig): ResourceProcessorOptions {
  return {
    attributes: c.attributes.map((a) =>
      defined({ key: a.key, action: a.action, value: a.value, fromAttribute: a.from_attribute }),
    ),
  };
}
