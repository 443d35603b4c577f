export { createResourceProcessor } from './resource-processor.js';
export {
  DEFAULTS as RESOURCE_PROCESSOR_DEFAULTS,
  type ResourceProcessorOptions,
  type ResourceAttributeAction,
} from './options.js';
