import { getLogger, type Exporter, type ShutdownOptions } from '@otlp-kafka/core';
import type { SpoolOptions } from './options.js';
import { createSpool, type SpoolStats } from './spool.js';

/** An exporter behind a spool: acknowledged once on disk, forwarded when the exporter takes it. */
export interface SpooledExporter extends Exporter {
  readonly stats: SpoolStats;
}

/**
 * Puts a spool in front of `exporter` (for example the Kafka exporter). Its
 * start() opens the spool and starts the exporter without waiting for it, so
 * an agent started while Kafka is away takes data at once (until the
 * exporter has started, the forwarder's sends are refused as retryable and
 * retried). Shutdown stops the spool (what is not forwarded stays on disk),
 * then shuts the exporter down within the time left.
 */
export function createSpooledExporter(exporter: Exporter, options: SpoolOptions): SpooledExporter {
  const spool = createSpool(exporter, options);
  const logger = getLogger(options, 'spool');
  let exporterStart: Promise<void> | undefined;
  return {
    get stats() {
      return spool.stats;
    },
    async start() {
      await spool.start();
      exporterStart ??= exporter
        .start()
        .catch((e: unknown) =>
          logger.error({ err: e }, `spool ${options.name ?? 'spool'}: the exporter behind it did not start`),
        );
    },
    consume: (batch) => spool.consume(batch),
    async shutdown(o?: ShutdownOptions) {
      await spool.shutdown(o);
      await exporter.shutdown(o);
    },
  };
}
