export { createAttributesProcessor } from './attributes-processor.js';
export { attributesProcessorFactory } from './factory.js';
export {
  DEFAULTS as ATTRIBUTES_PROCESSOR_DEFAULTS,
  type AttributesProcessorOptions,
  type AttributeAction,
  type AttributeActionKind,
} from './options.js';
