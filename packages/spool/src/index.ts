export { createSpool, type Spool, type SpoolStats } from './spool.js';
export { createSpooledExporter, type SpooledExporter } from './spooled-exporter.js';
export { inspectSpool, type SpoolContents } from './inspect.js';
export { DEFAULTS as SPOOL_DEFAULTS, type SpoolOptions } from './options.js';
export {
  fileStorageExtensionFactory,
  fileStorageConfig,
  spoolOptionsFromStorage,
  type FileStorageConfig,
} from './file-storage.js';
