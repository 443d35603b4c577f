import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import { ITEM_NOUN, SIGNALS, type Batch, type Signal } from '@otlp-kafka/core';

/** otelcol_processor_{accepted,refused}_{spans,metric_points,log_records}, as the Collector's memory limiter. */
export class LimiterMetrics {
  private readonly accepted = new Map<Signal, Counter>();
  private readonly refused = new Map<Signal, Counter>();
  private readonly attributes: Attributes;

  constructor(meter: Meter, processor: string) {
    this.attributes = { processor };
    for (const s of SIGNALS) {
      const noun = ITEM_NOUN[s];
      this.accepted.set(
        s,
        meter.createCounter(`otelcol_processor_accepted_${noun}`, {
          description: `Number of ${noun} admitted into the pipeline by the memory limiter.`,
          unit: `{${noun}}`,
        }),
      );
      this.refused.set(
        s,
        meter.createCounter(`otelcol_processor_refused_${noun}`, {
          description: `Number of ${noun} refused by the memory limiter.`,
          unit: `{${noun}}`,
        }),
      );
    }
  }

  admitted(batch: Batch): void {
    this.accepted.get(batch.signal)!.add(batch.itemCount, this.attributes);
  }

  refusedBatch(batch: Batch): void {
    this.refused.get(batch.signal)!.add(batch.itemCount, this.attributes);
  }
}
