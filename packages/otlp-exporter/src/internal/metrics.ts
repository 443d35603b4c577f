import type { Attributes, Counter, Meter, ObservableCallback, ObservableGauge } from '@opentelemetry/api';
import { ITEM_NOUN } from '@otlp-kafka/core';
import { SIGNALS, type Signal } from '@otlp-kafka/pdata';

/** What a send ended as, for the send_failed attribute `outcome`. */
export type FailureKind = 'retryable' | 'permanent' | 'partial';

/**
 * The Collector's exporter metrics, with attribute `exporter`:
 * otelcol_exporter_{sent,send_failed,enqueue_failed}_{spans,metric_points,log_records},
 * otelcol_exporter_queue_size and otelcol_exporter_queue_capacity.
 */
export class ExporterMetrics {
  private readonly sent: Record<Signal, Counter>;
  private readonly failed: Record<Signal, Counter>;
  private readonly enqueueFailed: Record<Signal, Counter>;
  private readonly gauges: { gauge: ObservableGauge; callback: ObservableCallback }[] = [];
  private readonly attributes: Attributes;

  constructor(meter: Meter, exporter: string) {
    this.attributes = { exporter };
    const per = (prefix: string, what: string): Record<Signal, Counter> =>
      Object.fromEntries(
        SIGNALS.map((s) => [
          s,
          meter.createCounter(`otelcol_exporter_${prefix}_${ITEM_NOUN[s]}`, {
            description: `Number of ${ITEM_NOUN[s].replace('_', ' ')} ${what}.`,
            unit: `{${ITEM_NOUN[s]}}`,
          }),
        ]),
      ) as Record<Signal, Counter>;
    this.sent = per('sent', 'successfully sent to the destination');
    this.failed = per('send_failed', 'the destination did not accept');
    this.enqueueFailed = per('enqueue_failed', 'refused because the sending queue was full');
  }

  /** Observable gauges read at collection time. */
  observeQueue(size: () => number, capacity: number, meter: Meter): void {
    const add = (name: string, description: string, read: () => number): void => {
      const gauge = meter.createObservableGauge(name, { description, unit: '{batches}' });
      const callback: ObservableCallback = (r) => r.observe(read(), this.attributes);
      gauge.addCallback(callback);
      this.gauges.push({ gauge, callback });
    };
    add('otelcol_exporter_queue_size', 'Current number of batches in the sending queue.', size);
    add(
      'otelcol_exporter_queue_capacity',
      'Fixed capacity of the sending queue, in batches.',
      () => capacity,
    );
  }

  recordSent(signal: Signal, items: number): void {
    if (items > 0) this.sent[signal].add(items, this.attributes);
  }

  recordFailed(signal: Signal, items: number, outcome: FailureKind): void {
    if (items > 0) this.failed[signal].add(items, { ...this.attributes, outcome });
  }

  recordEnqueueFailed(signal: Signal, items: number): void {
    if (items > 0) this.enqueueFailed[signal].add(items, this.attributes);
  }

  /** Stops the gauges at shutdown. */
  close(): void {
    for (const { gauge, callback } of this.gauges.splice(0)) gauge.removeCallback(callback);
  }
}
