import {
  PipelineError,
  createInFlight,
  ok,
  permanent,
  rejectedItemsOf,
  retryable,
  toPipelineError,
  type BatchMetadata,
  type Consumer,
  type InFlight,
  type Logger,
  type Outcome,
  type Signal,
} from '@otlp-kafka/core';
import { createBatch } from '@otlp-kafka/pdata';
import { JsonConverter } from './json-convert.js';
import type { ReceiverMetrics, Transport } from './metrics.js';

export type IngestResult =
  | { readonly kind: 'no-pipeline'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'outcome'; readonly outcome: Outcome };

const REQUEST_NAME: Record<Signal, string> = {
  traces: 'ExportTraceServiceRequest',
  metrics: 'ExportMetricsServiceRequest',
  logs: 'ExportLogsServiceRequest',
};

/**
 * The transport-independent part of a request: check and count the bytes,
 * hand them to the signal's pipeline, count the outcome. Both servers call it
 * and track their requests in `inFlight`, so shutdown can wait for real outcomes.
 */
export class Ingest {
  readonly inFlight: InFlight = createInFlight();
  private readonly consumers = new Map<Signal, Consumer>();
  /** OTLP/JSON conversion, off the event loop for large bodies (json-convert.ts). */
  readonly json = new JsonConverter();

  constructor(
    private readonly metrics: ReceiverMetrics,
    private readonly logger: Logger,
  ) {}

  connect(signal: Signal, consumer: Consumer): void {
    this.consumers.set(signal, consumer);
  }

  isConnected(signal: Signal): boolean {
    return this.consumers.has(signal);
  }

  /** Transports wrap each whole request (body reading included) so shutdown waits for it. */
  track<T>(work: Promise<T>): Promise<T> {
    return this.inFlight.track(work);
  }

  /**
   * An OTLP/JSON body (decompressed): converted without stalling other clients
   * (a large one in a worker thread), then handled as `handle` does. A body
   * that is not valid OTLP/JSON is `invalid`, naming the JSON path. Never rejects.
   */
  async handleJson(
    signal: Signal,
    transport: Transport,
    body: Buffer,
    metadata: BatchMetadata,
  ): Promise<IngestResult> {
    if (!this.consumers.has(signal))
      return { kind: 'no-pipeline', message: `no pipeline is configured for ${signal}` };
    const converted = await this.json.convert(signal, body);
    if (!converted.ok) return { kind: 'invalid', message: `invalid OTLP/JSON: ${converted.error.message}` };
    return this.handle(signal, transport, converted.bytes, metadata);
  }

  /** `bytes` is an encoded Export*ServiceRequest (JSON already converted). Never rejects. */
  async handle(
    signal: Signal,
    transport: Transport,
    bytes: Uint8Array,
    metadata: BatchMetadata,
  ): Promise<IngestResult> {
    const consumer = this.consumers.get(signal);
    if (!consumer) return { kind: 'no-pipeline', message: `no pipeline is configured for ${signal}` };
    // Deep: every field of every item, as the Collector's decoder checks them (ids, UTF-8, nesting).
    const batch = createBatch(signal, bytes, metadata, { deep: true });
    if (batch.isErr()) {
      return { kind: 'invalid', message: `invalid ${REQUEST_NAME[signal]}: ${batch.error.message}` };
    }
    const items = batch.value.itemCount;
    // As the Collector: a request without items is answered at once.
    if (items === 0) return { kind: 'outcome', outcome: ok() };
    let outcome: Outcome;
    try {
      outcome = await consumer.consume(batch.value);
    } catch (e) {
      this.metrics.failed(signal, transport, items);
      this.logger.error({ err: e, signal }, 'pipeline consume() rejected; answering retryable');
      return { kind: 'outcome', outcome: retryable(toPipelineError(e)) };
    }
    outcome = ownRefusal(outcome, items);
    this.metrics.record(signal, transport, items, outcome);
    return { kind: 'outcome', outcome };
  }
}

/**
 * A request whose own items were all refused for good is answered with that
 * refusal (400 / INVALID_ARGUMENT), never with 200 and partial_success: a
 * partial answer is right only when some of the request's items were accepted.
 */
function ownRefusal(outcome: Outcome, items: number): Outcome {
  if (!outcome.isOk() || outcome.value.kind !== 'partial' || (rejectedItemsOf(outcome) ?? 0) < items)
    return outcome;
  return permanent(new PipelineError('ERR_INVALID_DATA', outcome.value.message));
}
