import type { Counter, Histogram } from '@opentelemetry/api';
import { getMeter, ITEM_NOUN, type Signal, type TelemetryOptions } from '@otlp-kafka/core';
import type { Delivery } from './tracker.js';

/**
 * The exporter's own metrics, named like the Collector's kafka exporter and
 * exporterhelper: per message (records, bytes, write latency; attributes
 * topic and outcome) and per item (sent / send_failed spans, points, records).
 */
export class ExporterMetrics {
  private readonly records: Counter;
  private readonly bytes: Counter;
  private readonly latency: Histogram;
  private readonly sent: Record<Signal, Counter>;
  private readonly failed: Record<Signal, Counter>;
  private readonly exporter: { exporter: string };

  constructor(options: TelemetryOptions, name: string) {
    const meter = getMeter(options, 'kafka-producer-exporter');
    this.exporter = { exporter: name };
    this.records = meter.createCounter('otelcol_kafka_exporter_records', {
      description:
        'Kafka records produced, by topic and outcome (success: acknowledged with the configured acks)',
      unit: '{record}',
    });
    this.bytes = meter.createCounter('otelcol_kafka_exporter_bytes', {
      description: 'Uncompressed bytes of Kafka records (value and key), by topic and outcome',
      unit: 'By',
    });
    this.latency = meter.createHistogram('otelcol_kafka_exporter_write_latency', {
      description: 'Time from handing a record to librdkafka to its delivery report',
      unit: 'ms',
    });
    const counters = (verb: string, what: string): Record<Signal, Counter> => ({
      traces: meter.createCounter(`otelcol_exporter_${verb}_${ITEM_NOUN.traces}`, {
        description: `Spans ${what}`,
        unit: '{span}',
      }),
      metrics: meter.createCounter(`otelcol_exporter_${verb}_${ITEM_NOUN.metrics}`, {
        description: `Metric points ${what}`,
        unit: '{datapoint}',
      }),
      logs: meter.createCounter(`otelcol_exporter_${verb}_${ITEM_NOUN.logs}`, {
        description: `Log records ${what}`,
        unit: '{record}',
      }),
    });
    this.sent = counters('sent', 'acknowledged by Kafka');
    this.failed = counters('send_failed', 'refused or not acknowledged by Kafka');
  }

  delivery(d: Delivery): void {
    const attrs = { ...this.exporter, topic: d.message.topic, outcome: d.error ? 'failure' : 'success' };
    this.records.add(1, attrs);
    this.bytes.add(d.message.value.length + (d.message.key?.length ?? 0), attrs);
    this.latency.record(d.latencyMs, attrs);
  }

  items(signal: Signal, sent: number, failed: number): void {
    if (sent > 0) this.sent[signal].add(sent, this.exporter);
    if (failed > 0) this.failed[signal].add(failed, this.exporter);
  }
}
