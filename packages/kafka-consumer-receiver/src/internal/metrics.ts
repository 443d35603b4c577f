import type { Counter, Meter } from '@opentelemetry/api';
import { ITEM_NOUN, SIGNALS, type Signal } from '@otlp-kafka/core';
import type { PartitionLag } from './lag.js';

export interface MetricsSource {
  lag(): readonly PartitionLag[];
  inFlightMessages(): number;
  inFlightBytes(): number;
  pausedPartitions(): number;
  assignedPartitions(): number;
}

export type SkipReason = 'permanent' | 'undecodable';

/**
 * The receiver's self-telemetry. Names follow the Collector's kafka receiver
 * (otelcol_kafka_receiver_*) and receiver helper (otelcol_receiver_*).
 */
export class ReceiverMetrics {
  private readonly messages: Counter;
  private readonly accepted: Record<Signal, Counter>;
  private readonly refused: Record<Signal, Counter>;
  private readonly unmarshalFailed: Record<Signal, Counter>;
  private readonly deadLettered: Counter;
  private readonly skipped: Counter;
  private readonly redeliveries: Counter;
  private readonly committed: Counter;
  private readonly partitionStart: Counter;
  private readonly partitionClose: Counter;
  private readonly base: Record<string, string>;

  constructor(meter: Meter, group: string, source: MetricsSource) {
    this.base = { group };
    this.messages = meter.createCounter('otelcol_kafka_receiver_messages', {
      description: 'Kafka records fetched and dispatched.',
    });
    const perSignal = (name: (noun: string) => string, description: string): Record<Signal, Counter> =>
      Object.fromEntries(
        SIGNALS.map((s) => [s, meter.createCounter(name(ITEM_NOUN[s]), { description })]),
      ) as Record<Signal, Counter>;
    this.accepted = perSignal((n) => `otelcol_receiver_accepted_${n}`, 'Items acknowledged by the pipeline.');
    this.refused = perSignal(
      (n) => `otelcol_receiver_refused_${n}`,
      'Items permanently refused by the pipeline (partial rejects included).',
    );
    this.unmarshalFailed = perSignal(
      (n) => `otelcol_kafka_receiver_unmarshal_failed_${n}`,
      'Records that could not be decoded (counted per record, as the Collector does).',
    );
    this.deadLettered = meter.createCounter('otelcol_kafka_receiver_dead_lettered_messages', {
      description: 'Records written to the dead-letter topic.',
    });
    this.skipped = meter.createCounter('otelcol_kafka_receiver_skipped_messages', {
      description: 'Records refused for good and skipped (no dead-letter topic configured).',
    });
    this.redeliveries = meter.createCounter('otelcol_kafka_receiver_redeliveries', {
      description: 'Records delivered again after a retryable or backpressure outcome.',
    });
    this.committed = meter.createCounter('otelcol_kafka_receiver_offsets_committed', {
      description: 'Partition offsets committed to the group.',
    });
    this.partitionStart = meter.createCounter('otelcol_kafka_receiver_partition_start', {
      description: 'Partitions assigned.',
    });
    this.partitionClose = meter.createCounter('otelcol_kafka_receiver_partition_close', {
      description: 'Partitions revoked.',
    });

    const lag = meter.createObservableGauge('otelcol_kafka_receiver_offset_lag', {
      description: 'High watermark minus committed offset, per owned partition.',
    });
    const inFlight = meter.createObservableGauge('otelcol_kafka_receiver_in_flight_messages', {
      description: 'Records dispatched and not yet acknowledged.',
    });
    const inFlightBytes = meter.createObservableGauge('otelcol_kafka_receiver_in_flight_bytes', {
      description: 'Bytes of the records dispatched and not yet acknowledged.',
      unit: 'By',
    });
    const paused = meter.createObservableGauge('otelcol_kafka_receiver_paused_partitions', {
      description: 'Partitions paused.',
    });
    const assigned = meter.createObservableGauge('otelcol_kafka_receiver_assigned_partitions', {
      description: 'Partitions owned.',
    });
    meter.addBatchObservableCallback(
      (r) => {
        for (const l of source.lag()) {
          if (l.lag !== undefined)
            r.observe(lag, l.lag, { ...this.base, topic: l.topic, partition: l.partition });
        }
        r.observe(inFlight, source.inFlightMessages(), this.base);
        r.observe(inFlightBytes, source.inFlightBytes(), this.base);
        r.observe(paused, source.pausedPartitions(), this.base);
        r.observe(assigned, source.assignedPartitions(), this.base);
      },
      [lag, inFlight, inFlightBytes, paused, assigned],
    );
  }

  message(topic: string, partition: number): void {
    this.messages.add(1, { ...this.base, topic, partition });
  }

  accept(signal: Signal, items: number, rejected: number): void {
    if (items - rejected > 0)
      this.accepted[signal].add(items - rejected, { ...this.base, transport: 'kafka' });
    if (rejected > 0) this.refused[signal].add(rejected, { ...this.base, transport: 'kafka' });
  }

  refuse(signal: Signal, items: number): void {
    if (items > 0) this.refused[signal].add(items, { ...this.base, transport: 'kafka' });
  }

  undecodable(signal: Signal, topic: string): void {
    this.unmarshalFailed[signal].add(1, { ...this.base, topic });
  }

  deadLetter(topic: string, reason: SkipReason): void {
    this.deadLettered.add(1, { ...this.base, topic, reason });
  }

  skip(topic: string, reason: SkipReason): void {
    this.skipped.add(1, { ...this.base, topic, reason });
  }

  redelivery(topic: string, kind: string): void {
    this.redeliveries.add(1, { ...this.base, topic, outcome: kind });
  }

  commit(topic: string, partition: number): void {
    this.committed.add(1, { ...this.base, topic, partition });
  }

  assigned(topic: string, partition: number): void {
    this.partitionStart.add(1, { ...this.base, topic, partition });
  }

  revoked(topic: string, partition: number): void {
    this.partitionClose.add(1, { ...this.base, topic, partition });
  }
}
