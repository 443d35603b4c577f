import {
  createFunctionProcessor,
  getLogger,
  invalidOptions,
  parseOptions,
  PipelineError,
  permanent,
  type ProcessorFactory,
} from '@otlp-kafka/core';
import { createItemMatcher, type ItemMatcher } from '@otlp-kafka/filter-processor';
import { editItems, SIGNALS, type Batch, type Item, type Signal } from '@otlp-kafka/pdata';
import { ActionError, compileActions } from './internal/actions.js';
import { optionsSchema, type AttributesProcessorOptions } from './options.js';

const COMPONENT = 'attributes-processor';

/**
 * The attributes processor: insert, update, upsert, delete, hash, extract or
 * convert the attributes of every span, log record and metric data point (or
 * of those matching include / exclude), on the wire: only edited items are
 * re-encoded, a batch where nothing changed is passed on as it is. Options
 * (every action, pattern and match property) are checked and compiled here,
 * once; a batch whose bytes cannot be read is a permanent refusal naming why.
 */
export function createAttributesProcessor(options: AttributesProcessorOptions): ProcessorFactory {
  const o = parseOptions(COMPONENT, optionsSchema, options);
  let compiled;
  try {
    compiled = compileActions(o.actions);
  } catch (e) {
    if (e instanceof ActionError) throw invalidOptions(COMPONENT, `invalid options: ${e.path}: ${e.message}`);
    throw e;
  }
  const { apply, contextOf } = compiled;
  const component = `${COMPONENT} ${o.name}`;
  const matchers: Partial<Record<Signal, ItemMatcher>> = {};
  if (o.include || o.exclude)
    for (const signal of SIGNALS)
      matchers[signal] = createItemMatcher(signal, { include: o.include, exclude: o.exclude }, component);
  const logger = getLogger(options, COMPONENT);

  const process = (batch: Batch) => {
    const context = contextOf(batch.metadata);
    const match = matchers[batch.signal];
    const edit = match
      ? (item: Item) => {
          if (match(item)) apply(item, context);
        }
      : (item: Item) => apply(item, context);
    const out = editItems(batch, edit);
    if (out.isOk()) return out.value;
    logger.debug({ err: out.error }, 'attribute edit failed');
    return permanent(
      new PipelineError(
        'ERR_INVALID_DATA',
        `${component}: cannot edit item attributes: ${out.error.message}`,
        {
          cause: out.error,
        },
      ),
    );
  };
  return createFunctionProcessor({ name: o.name, logger, shutdownTimeoutMs: o.shutdownTimeoutMs, process });
}
