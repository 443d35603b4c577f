import { getLogger, invalidOptions, parseOptions, type ProcessorFactory } from '@otlp-kafka/core';
import { editResource, trustedBatch } from '@otlp-kafka/pdata';
import { ResourceProcessor } from './internal/processor.js';
import { optionsSchema, type ResourceProcessorOptions } from './options.js';

/**
 * The resource processor: insert, update, upsert, delete or hash resource
 * attributes of every batch, rewriting only the Resource sub-messages on the
 * wire. Returns a factory: one processor per pipeline. Options are checked
 * here; a batch that cannot be edited is a permanent outcome naming why.
 */
export function createResourceProcessor(options: ResourceProcessorOptions): ProcessorFactory {
  const o = parseOptions('resource-processor', optionsSchema, options);
  // pdata compiles the actions too: anything it refuses is an option error now, not a data error later.
  const probe = editResource(trustedBatch('traces', new Uint8Array(0), 0), o.attributes);
  if (probe.isErr())
    throw invalidOptions('resource-processor', `invalid options: attributes: ${probe.error.message}`);
  const config = {
    name: o.name,
    actions: o.attributes,
    shutdownTimeoutMs: o.shutdownTimeoutMs,
    logger: getLogger(options, 'resource-processor'),
  };
  return (next) => new ResourceProcessor(next, config);
}
