import type { MeterProvider } from '@opentelemetry/api';
import type { Signal } from '@otlp-kafka/pdata';
import type { z } from 'zod';
import type { Component, Exporter, ProcessorFactory, Receiver } from './component.js';
import type { Logger } from './telemetry.js';

/** The Collector's component kinds. otlp-kafka runs no extensions yet; the kind is reserved so factories can name it. */
export type ComponentKind = 'receiver' | 'processor' | 'exporter' | 'extension';

/** What a factory of each kind builds. A processor factory builds a ProcessorFactory: one processor per pipeline. */
export interface ComponentOf {
  receiver: Receiver;
  processor: ProcessorFactory;
  exporter: Exporter;
  extension: Component;
}

/** What the config layer hands a factory besides the component's own config. */
export interface FactoryContext {
  /** The component id as written in the config, e.g. `kafka/traces`: use it as the component's name in metrics. */
  readonly id: string;
  /** The signals of the pipelines that use this component (a receiver or exporter may serve several). */
  readonly signals: readonly Signal[];
  readonly logger: Logger;
  /** Undefined: the global MeterProvider of @opentelemetry/api. */
  readonly meterProvider?: MeterProvider;
  /** The environment the config was expanded with. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * The config's extensions by id, each with its type and validated config,
   * for a component that refers to one (an exporter's `sending_queue.storage`
   * names a `file_storage` extension). Absent when built outside a config.
   */
  readonly extensions?: ReadonlyMap<string, { readonly type: string; readonly config: unknown }>;
}

/**
 * One component type, in the Collector's spirit: its `type` name in YAML, its
 * strict snake_case config schema, and `create`, which maps the validated
 * config to the component's options and builds it. `create` may throw
 * (ERR_INVALID_OPTIONS); the config layer reports it under the component id.
 */
export interface ComponentFactory<K extends ComponentKind = ComponentKind, Config = unknown> {
  readonly kind: K;
  /** The name before the `/` of a component id: `kafka` in `kafka/traces`. */
  readonly type: string;
  /** Other names for the same type (the Collector's deprecated names, e.g. `otlphttp` for `otlp_http`). */
  readonly aliases?: readonly string[];
  /** Validates the YAML section; its output is what `create` receives. */
  readonly configSchema: z.ZodType<Config>;
  create(config: Config, context: FactoryContext): ComponentOf[K];
}

/** A factory of any kind and config, as a registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyComponentFactory = ComponentFactory<ComponentKind, any>;

/** Builds a factory, inferring the config type from the schema (so `create` sees the schema's output). */
export function defineFactory<K extends ComponentKind, S extends z.ZodType>(factory: {
  kind: K;
  type: string;
  aliases?: readonly string[];
  configSchema: S;
  create(config: z.output<S>, context: FactoryContext): ComponentOf[K];
}): ComponentFactory<K, z.output<S>> {
  return factory as ComponentFactory<K, z.output<S>>;
}
