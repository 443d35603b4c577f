export { main } from './main.js';
export { defaultRegistry, DEFAULT_FACTORIES } from './components.js';
export { EXIT, type CliIo } from './internal/io.js';
export { groupLag, formatLagTable, type PartitionLagRow } from './internal/group-lag.js';
export { SEED_TOPIC_SETTINGS } from './commands/topics.js';
