export { ConfigError, type ConfigErrorCode } from './errors.js';
export { expandEnv } from './expand.js';
export { parseDurationMs } from './units.js';
export { parseConfig, type ConfigSource, type ComponentConfig, type ParsedConfig } from './parse.js';
export { COMPONENT_SCHEMAS, type ComponentKind } from './registry.js';
export type { ServiceConfig } from './service.js';
export { buildService, DEFAULT_KAFKA_TOPICS, type BuiltService } from './build.js';
export { kafkaTopicsOf, type KafkaTopicUse } from './topics.js';
