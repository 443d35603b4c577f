export { createResourceProcessor } from './resource-processor.js';
export { resourceProcessorFactory } from './factory.js';
export {
  DEFAULTS as RESOURCE_PROCESSOR_DEFAULTS,
  type ResourceProcessorOptions,
  type ResourceAttributeAction,
} from './options.js';
