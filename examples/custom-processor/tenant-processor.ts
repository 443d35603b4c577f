// A processor written in code and usable from YAML: register its factory and
// name its type (`tenant`) in a config. It stamps a tenant on every resource.
import { defineFactory, permanent, type Consumer, type Processor } from '@otlp-kafka/core';
import { editResource } from '@otlp-kafka/pdata';
import { z } from 'zod';

export const tenantProcessorFactory = defineFactory({
  kind: 'processor',
  type: 'tenant',
  // Strict, like the built-in schemas: a misspelt key is an error naming it.
  configSchema: z.strictObject({ id: z.string().min(1), attribute: z.string().min(1).default('tenant.id') }),
  create:
    (config) =>
    (next: Consumer): Processor => ({
      // Stateless: nothing to start or drain; the pipeline shuts `next` down after it.
      start: async () => {},
      shutdown: async () => {},
      async consume(batch) {
        const edited = editResource(batch, [{ key: config.attribute, action: 'upsert', value: config.id }]);
        return edited.isOk() ? next.consume(edited.value) : permanent(edited.error.message);
      },
    }),
});
