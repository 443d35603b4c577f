import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  ObservableCallback,
  ObservableGauge,
  ObservableUpDownCounter,
} from '@opentelemetry/api';
import type { Signal } from '@otlp-kafka/core';
import type { BatcherState, SendTrigger } from './processor.js';

export type RefusalReason = 'backpressure' | 'cardinality' | 'not_started' | 'shutdown' | 'too_large';

/** The Collector's batch processor metrics (otelcol_processor_batch_*), plus refusals and held bytes. */
export class BatcherMetrics {
  private readonly attributes: Attributes;
  private readonly sendSize: Histogram;
  private readonly sendSizeBytes: Histogram;
  private readonly sizeTrigger: Counter;
  private readonly timeoutTrigger: Counter;
  private readonly slotTrigger: Counter;
  private readonly refused: Counter;
  private readonly isolationResends: Counter;
  private readonly isolationResendItems: Counter;
  private readonly cardinality: ObservableUpDownCounter;
  private readonly pendingBytes: ObservableGauge;
  private readonly sendsInFlight: ObservableGauge;
  private readonly observeCardinality: ObservableCallback;
  private readonly observePending: ObservableCallback;
  private readonly observeInFlight: ObservableCallback;

  constructor(meter: Meter, processor: string, state: BatcherState) {
    this.attributes = { processor };
    this.sendSize = meter.createHistogram('otelcol_processor_batch_batch_send_size', {
      description: 'Number of items in each batch sent.',
      unit: '{items}',
      advice: {
        explicitBucketBoundaries: [
          10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000,
          20000, 30000, 50000, 100000,
        ],
      },
    });
    this.sendSizeBytes = meter.createHistogram('otelcol_processor_batch_batch_send_size_bytes', {
      description: 'Number of bytes in each batch sent.',
      unit: 'By',
    });
    this.sizeTrigger = meter.createCounter('otelcol_processor_batch_batch_size_trigger_send', {
      description: 'Number of times a batch was sent because it reached a size trigger or bound.',
      unit: '{sends}',
    });
    this.timeoutTrigger = meter.createCounter('otelcol_processor_batch_timeout_trigger_send', {
      description: 'Number of times a batch was sent because its timeout passed.',
      unit: '{sends}',
    });
    this.slotTrigger = meter.createCounter('otelcol_processor_batch_slot_trigger_send', {
      description:
        'Number of times a partly filled batch was sent because a send slot was free (group commit).',
      unit: '{sends}',
    });
    this.refused = meter.createCounter('otelcol_processor_batch_refused_items', {
      description:
        'Items the batch processor refused (reason: backpressure, cardinality, not_started, shutdown, too_large).',
      unit: '{items}',
    });
    this.isolationResends = meter.createCounter('otelcol_processor_batch_isolation_resends', {
      description:
        'Requests sent again, alone or halved, after the downstream refused a merged batch for good or accepted it in part: to find the items it refuses.',
      unit: '{sends}',
    });
    this.isolationResendItems = meter.createCounter('otelcol_processor_batch_isolation_resend_items', {
      description: 'Items in the requests counted by otelcol_processor_batch_isolation_resends.',
      unit: '{items}',
    });
    this.cardinality = meter.createObservableUpDownCounter('otelcol_processor_batch_metadata_cardinality', {
      description: 'Number of distinct metadata value combinations with a pending batch.',
      unit: '{combinations}',
    });
    this.pendingBytes = meter.createObservableGauge('otelcol_processor_batch_pending_bytes', {
      description: 'Encoded bytes held for callers whose outcome is not known yet.',
      unit: 'By',
    });
    this.sendsInFlight = meter.createObservableGauge('otelcol_processor_batch_sends_in_flight', {
      description: 'Outgoing batches sent whose outcome is not known yet.',
      unit: '{batches}',
    });
    this.observeInFlight = (r) => r.observe(state.sendsInFlight(), this.attributes);
    this.sendsInFlight.addCallback(this.observeInFlight);
    this.observeCardinality = (r) => r.observe(state.cardinality(), this.attributes);
    this.observePending = (r) => r.observe(state.heldBytes(), this.attributes);
    this.cardinality.addCallback(this.observeCardinality);
    this.pendingBytes.addCallback(this.observePending);
  }

  sent(items: number, bytes: number, trigger: SendTrigger): void {
    this.sendSize.record(items, this.attributes);
    this.sendSizeBytes.record(bytes, this.attributes);
    if (trigger === 'size') this.sizeTrigger.add(1, this.attributes);
    else if (trigger === 'timeout') this.timeoutTrigger.add(1, this.attributes);
    else if (trigger === 'slot') this.slotTrigger.add(1, this.attributes);
  }

  refusedItems(signal: Signal, items: number, reason: RefusalReason): void {
    this.refused.add(items, { ...this.attributes, reason, signal });
  }

  isolationResend(signal: Signal, items: number): void {
    this.isolationResends.add(1, { ...this.attributes, signal });
    this.isolationResendItems.add(items, { ...this.attributes, signal });
  }

  close(): void {
    this.cardinality.removeCallback(this.observeCardinality);
    this.pendingBytes.removeCallback(this.observePending);
    this.sendsInFlight.removeCallback(this.observeInFlight);
  }
}
