import { createFunctionProcessor, permanent } from '@otlp-kafka/core';
import { filterItems } from '@otlp-kafka/pdata';

/** Drops DEBUG and TRACE log records (severity below INFO) and refuses requests larger than 4 MiB. */
export const dropDebugLogs = createFunctionProcessor({
  name: 'drop-debug-logs',
  process: (batch) =>
    batch.bytes.length > 4 * 1024 * 1024
      ? permanent('drop-debug-logs: request larger than 4 MiB')
      : filterItems(batch, (log) => log.severityNumber() === 0 || log.severityNumber() >= 9),
});
