import { z } from 'zod';

const pipelineSchema = z.strictObject({
  receivers: z.array(z.string().min(1)).min(1, { error: 'a pipeline needs at least one receiver' }),
  processors: z.array(z.string().min(1)).optional(),
  exporters: z.array(z.string().min(1)).min(1, { error: 'a pipeline needs at least one exporter' }),
});

const prometheusReader = z.strictObject({
  pull: z.strictObject({
    exporter: z.strictObject({
      prometheus: z.strictObject({ host: z.string().optional(), port: z.number().int().min(0).max(65535) }),
    }),
  }),
});

export const serviceSchema = z.strictObject({
  /** The extensions to run, by id: each must be defined in the top-level `extensions` section. */
  extensions: z.array(z.string().min(1)).optional(),
  pipelines: z.record(
    z.string().regex(/^(traces|metrics|logs)(\/[^/\s]+)?$/, {
      error: 'pipeline ids are traces, metrics or logs, optionally /name',
    }),
    pipelineSchema,
  ),
  telemetry: z
    .strictObject({
      metrics: z
        .strictObject({
          level: z.enum(['none', 'basic', 'normal', 'detailed']).optional(),
          address: z.string().optional(),
          readers: z.array(prometheusReader).optional(),
        })
        .optional(),
      logs: z
        .strictObject({
          level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
          encoding: z.enum(['json', 'console']).optional(),
        })
        .optional(),
    })
    .optional(),
});

export type ServiceConfig = z.output<typeof serviceSchema>;

export const topLevelSchema = z.strictObject({
  receivers: z.record(z.string(), z.unknown()).optional(),
  processors: z.record(z.string(), z.unknown()).optional(),
  exporters: z.record(z.string(), z.unknown()).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
  service: z.unknown(),
});
