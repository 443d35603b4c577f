// A custom processor in ten lines: drop health checks and tag what is left, on the wire (no decoding).
// Put it in a pipeline's `processors`; its unit test is packages/core/test/examples/custom-processor.test.ts.
import { createFunctionProcessor } from '@otlp-kafka/core';
import { editItems } from '@otlp-kafka/pdata';

export const dropHealthChecks = createFunctionProcessor({
  name: 'drop-health-checks',
  process: (batch) =>
    editItems(batch, (span) => {
      if (span.attribute('http.route')?.stringValue === '/healthz') return false;
      span.setAttribute('pipeline.processed', true);
    }),
});
