import { getLogger, getMeter, parseOptions, type ProcessorFactory } from '@otlp-kafka/core';
import { BatcherMetrics } from './internal/metrics.js';
import { BatchProcessor, type BatcherConfig } from './internal/processor.js';
import { optionsSchema, type BatcherOptions } from './options.js';

/**
 * The batch processor: group commit. A request goes at once while the next
 * consumer has a free send slot; arrivals gather only while sends are in
 * flight, up to the size caps; the timeout bounds the wait. Merging and
 * splitting happen on the wire. Each caller's promise settles
 * with the worst outcome of the outgoing batches that carried its items, so
 * nothing is acknowledged before the next consumer accepted it.
 * Returns a factory: one processor per pipeline.
 */
export function createBatcher(options?: BatcherOptions): ProcessorFactory {
  const o = parseOptions('batcher', optionsSchema, options);
  const meter = getMeter(options, 'batcher');
  const config: BatcherConfig = {
    name: o.name,
    sendBatchSize: o.sendBatchSize,
    sendBatchMaxSize: o.sendBatchMaxSize,
    sendBatchMaxBytes: o.sendBatchMaxBytes,
    timeoutMs: o.timeoutMs,
    maxConcurrentSends: o.maxConcurrentSends,
    lingerMs: o.lingerMs,
    metadataKeys: o.metadataKeys.map((k) => k.toLowerCase()),
    metadataCardinalityLimit: o.metadataCardinalityLimit,
    maxPendingBytes: o.maxPendingBytes,
    maxPendingItems: o.maxPendingItems,
    retryAfterMs: o.retryAfterMs ?? Math.max(o.timeoutMs, 100),
    shutdownTimeoutMs: o.shutdownTimeoutMs,
    logger: getLogger(options, 'batcher'),
    metrics: (state) => new BatcherMetrics(meter, o.name, state),
  };
  return (next) => new BatchProcessor(next, config);
}
