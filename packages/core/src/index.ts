export type { Signal, Batch, BatchMetadata } from '@otlp-kafka/pdata';
export { SIGNALS } from '@otlp-kafka/pdata';
export type { Component, Consumer, Exporter, Processor, ProcessorFactory, Receiver } from './component.js';
export { PipelineError, toPipelineError, invalidOptions, type PipelineErrorCode } from './errors.js';
export {
  ok,
  partial,
  retryable,
  backpressure,
  permanent,
  worst,
  outcomeKind,
  retryAfterMs,
  refusalOf,
  rejectedItemsOf,
  type Outcome,
  type OutcomeKind,
  type Accepted,
  type Refused,
} from './outcome.js';
export { fanOut, safeConsume } from './fan-out.js';
export {
  createPushReceiver,
  PUSH_RECEIVER_DEFAULTS,
  type PushReceiver,
  type PushReceiverOptions,
} from './push-receiver.js';
export {
  createFunctionProcessor,
  FUNCTION_PROCESSOR_DEFAULTS,
  type FunctionProcessorOptions,
  type ProcessResult,
} from './function-processor.js';
export { createInFlight, type InFlight } from './in-flight.js';
export {
  createLifecycle,
  type Lifecycle,
  type LifecycleOptions,
  type LifecycleState,
  type ShutdownOptions,
  type StopContext,
} from './lifecycle.js';
export { sleep, withTimeout, deadlineIn, type Deadline } from './time.js';
export { createBackoff, type Backoff, type BackoffPolicy, type BackoffSources } from './backoff.js';
export {
  createPipeline,
  PIPELINE_SHUTDOWN_TIMEOUT_MS,
  type Pipeline,
  type PipelineOptions,
  type PipelineSpec,
} from './pipeline.js';
export { parseOptions } from './options.js';
export {
  getMeter,
  getLogger,
  noopLogger,
  ITEM_NOUN,
  type Logger,
  type TelemetryOptions,
} from './telemetry.js';
export {
  defineFactory,
  type ComponentFactory,
  type AnyComponentFactory,
  type ComponentKind,
  type ComponentOf,
  type FactoryContext,
} from './factory.js';
export { duration, byteSize, parseDurationMs, section, defined } from './config/units.js';
export { tlsServerConfig, tlsClientConfig } from './config/shapes.js';
export type { SchemaMatches, Assert, DefaultsOf } from './config/check.js';
