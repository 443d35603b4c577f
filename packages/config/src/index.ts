export { ConfigError, type ConfigErrorCode } from './errors.js';
export { expandEnv } from './expand.js';
export { parseDurationMs, duration, byteSize } from '@otlp-kafka/core';
export { parseConfig, type ConfigSource, type ComponentConfig, type ParsedConfig } from './parse.js';
export { createRegistry, type Registry, type ComponentKind } from './registry.js';
export type { ServiceConfig } from './service.js';
export { buildService, type BuildServiceOptions, type BuiltService } from './build.js';
export { kafkaTopicsOf, DEFAULT_KAFKA_TOPICS, type KafkaTopicUse } from './topics.js';
export { healthCheckSchema, HEALTH_CHECK_DEFAULT_ENDPOINT, type HealthCheckConfig } from './health-check.js';
