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
  type Outcome,
  type OutcomeKind,
  type Accepted,
  type Refused,
} from './outcome.js';
export { fanOut, safeConsume } from './fan-out.js';
export { createInFlight, type InFlight } from './in-flight.js';
export { createPipeline, type Pipeline, type PipelineOptions, type PipelineSpec } from './pipeline.js';
export { parseOptions } from './options.js';
export {
  getMeter,
  getLogger,
  noopLogger,
  ITEM_NOUN,
  type Logger,
  type TelemetryOptions,
} from './telemetry.js';
