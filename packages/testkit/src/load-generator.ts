import { invalidOptions, parseOptions, type DefaultsOf } from '@otlp-kafka/core';
import {
  SIGNALS,
  createBatch,
  encodeRequest,
  type AnyValue,
  type Batch,
  type BatchMetadata,
  type ExportTraceServiceRequest,
  type KeyValue,
  type RequestOf,
  type Signal,
} from '@otlp-kafka/pdata';
import { z } from 'zod';
import { LoadGeneratorImpl } from './internal/generator.js';

export interface LoadGeneratorOptions {
  /** Weights of the signals `next()` picks from when not told which. Default { traces: 1 }. */
  signals?: Partial<Record<Signal, number>>;
  /** Distinct resources (service.name svc-0, svc-1, ...), used round-robin. Default 1. */
  resources?: number;
  /** Resource entries per request (at most `resources`). Default 1. */
  resourcesPerRequest?: number;
  /** Spans, data points or log records per request. Default 100. */
  itemsPerRequest?: number;
  /** Bytes of a filler string attribute `test.payload` on every item (0: none). Default 64. */
  attributeBytes?: number;
  /** Spans per trace (a root and its children); traces may continue into the next request. Default 5. */
  spansPerTrace?: number;
  /** Data points per metric (gauge, sum and histogram metrics in turn). Default 10. */
  dataPointsPerMetric?: number;
  /** Seeds the ids, the filler and the signal choice: the same options give the same bytes. Default 1. */
  seed?: number;
  /** Starts every `test.id` and instance id, so generators can share one counting sink. Default `s<seed>-`. */
  idPrefix?: string;
  /** Time of the first item; each item is 1 ms later. Default 2024-01-01T00:00:00Z. */
  startTimeUnixNano?: bigint;
  /** Metadata put on every batch. Default none. */
  metadata?: BatchMetadata;
  /** Remember every id generated for `ids()` and reports. Off for endless runs. Default true. */
  trackIds?: boolean;
  /**
   * Every span's name: one for all, or one per span from its index (0, 1, 2, ...
   * over all the spans this generator makes). Default: `GET /load` for a
   * trace's root span, `step-<last hex digit of the span id>` for the others.
   */
  spanName?: string | ((index: number) => string);
  /**
   * Attributes put on every span, after `test.payload`. An integer number
   * becomes an int attribute, any other number a double. Default none.
   */
  spanAttributes?: Record<string, string | number | boolean>;
}

/** One generated request: its object form, its encoded batch and the ids of its items. */
export interface GeneratedRequest<S extends Signal = Signal> {
  readonly signal: S;
  readonly request: RequestOf<S>;
  readonly batch: Batch;
  readonly ids: readonly string[];
}

/**
 * Deterministic OTLP load. Item ids: a span's id (16 hex digits), a data
 * point's or log record's `test.id` attribute; every one unique. Log records
 * also carry trace and span ids (not those of any span).
 */
export interface LoadGenerator {
  /** The next request as a batch; `signal` defaults to a pick by the weights. */
  next(signal?: Signal): Batch;
  /** The next request with its object form and ids. */
  generate<S extends Signal>(signal: S): GeneratedRequest<S>;
  generate(): GeneratedRequest;
  /** Every id generated so far (of one signal, or all). Empty when trackIds is off. */
  ids(signal?: Signal): readonly string[];
  /** Items generated per signal. */
  readonly counts: Readonly<Record<Signal, number>>;
  /** Requests generated. */
  readonly requests: number;
}

export const GENERATOR_DEFAULTS = {
  signals: { traces: 1 } as Partial<Record<Signal, number>>,
  resources: 1,
  resourcesPerRequest: 1,
  itemsPerRequest: 100,
  attributeBytes: 64,
  spansPerTrace: 5,
  dataPointsPerMetric: 10,
  seed: 1,
  startTimeUnixNano: 1_704_067_200_000_000_000n,
  trackIds: true,
  spanAttributes: {},
} as const satisfies DefaultsOf<LoadGeneratorOptions>;

const positive = z.number().int().positive();

const schema = z
  .object({
    signals: z
      .object({
        traces: z.number().nonnegative(),
        metrics: z.number().nonnegative(),
        logs: z.number().nonnegative(),
      })
      .partial()
      .strict()
      .refine((w) => SIGNALS.some((s) => (w[s] ?? 0) > 0), 'at least one signal needs a weight above 0')
      .default(GENERATOR_DEFAULTS.signals),
    resources: positive.default(GENERATOR_DEFAULTS.resources),
    resourcesPerRequest: positive.default(GENERATOR_DEFAULTS.resourcesPerRequest),
    itemsPerRequest: positive.default(GENERATOR_DEFAULTS.itemsPerRequest),
    attributeBytes: z
      .number()
      .int()
      .nonnegative()
      .max(16 * 1024 * 1024)
      .default(GENERATOR_DEFAULTS.attributeBytes),
    spansPerTrace: positive.default(GENERATOR_DEFAULTS.spansPerTrace),
    dataPointsPerMetric: positive.default(GENERATOR_DEFAULTS.dataPointsPerMetric),
    seed: z.number().int().default(GENERATOR_DEFAULTS.seed),
    idPrefix: z.string().optional(),
    startTimeUnixNano: z.bigint().nonnegative().default(GENERATOR_DEFAULTS.startTimeUnixNano),
    metadata: z
      .custom<BatchMetadata>((v) => typeof v === 'object' && v !== null, 'must be an object')
      .optional(),
    trackIds: z.boolean().default(GENERATOR_DEFAULTS.trackIds),
    spanName: z
      .union([
        z.string().min(1),
        z.custom<(index: number) => string>((v) => typeof v === 'function', 'must be a string or a function'),
      ])
      .optional(),
    spanAttributes: z
      .record(z.string().min(1), z.union([z.string(), z.number().finite(), z.boolean()]))
      .default(GENERATOR_DEFAULTS.spanAttributes),
  })
  .strict();

function anyValue(v: string | number | boolean): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: BigInt(v) } : { doubleValue: v };
}

/** Renames and adds attributes to the spans of a built request, in place (before it is encoded). */
function spanEditor(
  spanName: string | ((index: number) => string) | undefined,
  spanAttributes: Record<string, string | number | boolean>,
): ((request: ExportTraceServiceRequest) => void) | undefined {
  const extra: KeyValue[] = Object.entries(spanAttributes).map(([key, v]) => ({ key, value: anyValue(v) }));
  if (spanName === undefined && extra.length === 0) return undefined;
  let index = 0;
  return (request) => {
    for (const rs of request.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) {
          if (typeof spanName === 'string') span.name = spanName;
          else if (spanName) {
            const name: unknown = spanName(index);
            if (typeof name !== 'string')
              throw invalidOptions(
                'createLoadGenerator',
                `spanName(${index}) returned a ${typeof name}, not a string`,
              );
            span.name = name;
          }
          index++;
          if (extra.length > 0) span.attributes = [...span.attributes, ...extra.map((a) => ({ ...a }))];
        }
  };
}

export function createLoadGenerator(options?: LoadGeneratorOptions): LoadGenerator {
  const { spanName, spanAttributes, ...o } = parseOptions('createLoadGenerator', schema, options);
  const editSpans = spanEditor(spanName, spanAttributes);
  return new LoadGeneratorImpl({
    ...o,
    idPrefix: o.idPrefix ?? `s${o.seed}-`,
    resourcesPerRequest: Math.min(o.resourcesPerRequest, o.resources),
    encode: (signal, request) => {
      if (signal === 'traces') editSpans?.(request as ExportTraceServiceRequest);
      const bytes = encodeRequest(signal, request);
      const batch = createBatch(signal, bytes, o.metadata);
      if (batch.isErr()) throw batch.error;
      return batch.value;
    },
  });
}
