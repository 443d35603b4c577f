import { z } from 'zod';

/** The Collector's conventional health_check endpoint (its default is localhost:13133; in a pod, 0.0.0.0:13133). */
export const HEALTH_CHECK_DEFAULT_ENDPOINT = 'localhost:13133';

/**
 * The config of the Collector's `health_check` extension, in its names
 * (`endpoint`, `path`, `response_body`). Here so that the command running it
 * needs no schema library of its own; the server is the CLI's.
 */
export const healthCheckSchema = z.strictObject({
  endpoint: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]*):\d{1,5}$/, {
      error: 'endpoint is host:port, [v6]:port or :port',
    })
    .default(HEALTH_CHECK_DEFAULT_ENDPOINT),
  path: z.string().startsWith('/', { error: 'path starts with /' }).default('/'),
  response_body: z
    .strictObject({ healthy: z.string().optional(), unhealthy: z.string().optional() })
    .optional(),
});

export type HealthCheckConfig = z.output<typeof healthCheckSchema>;
