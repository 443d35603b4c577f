import type { Counter, UpDownCounter } from '@opentelemetry/api';
import { getMeter, type Signal, type TelemetryOptions } from '@otlp-kafka/core';

// The SDK exporter metrics of the OpenTelemetry semantic conventions (otel.sdk.exporter.*).
const NOUN: Record<Signal, string> = { traces: 'span', metrics: 'metric_data_point', logs: 'log' };
const COMPONENT_TYPE: Record<Signal, string> = {
  traces: 'kafka_span_exporter',
  metrics: 'kafka_metric_exporter',
  logs: 'kafka_log_exporter',
};

export class BridgeMetrics {
  private readonly exportedItems: Counter;
  private readonly retries: Counter;
  private readonly inflight: UpDownCounter;
  private readonly attrs: Record<string, string>;

  constructor(options: TelemetryOptions, signal: Signal, name: string) {
    const meter = getMeter(options, 'sdk-exporters');
    const noun = NOUN[signal];
    this.attrs = { 'otel.component.type': COMPONENT_TYPE[signal], 'otel.component.name': name };
    this.exportedItems = meter.createCounter(`otel.sdk.exporter.${noun}.exported`, {
      description: `${noun} items the exporter finished with (error.type set when they were not delivered)`,
    });
    this.inflight = meter.createUpDownCounter(`otel.sdk.exporter.${noun}.inflight`, {
      description: `${noun} items handed to the exporter and not answered yet`,
    });
    this.retries = meter.createCounter('otlp_kafka.sdk_exporter.retries', {
      description: 'attempts repeated after a retryable refusal',
    });
  }

  /** Items handed on: in flight until `end`. */
  begin(items: number): void {
    this.inflight.add(items, this.attrs);
  }

  end(items: number, errorType: string | undefined): void {
    this.inflight.add(-items, this.attrs);
    this.refused(items, errorType);
  }

  /** Items answered (FAILED when errorType is set) without being handed on. */
  refused(items: number, errorType: string | undefined): void {
    this.exportedItems.add(items, errorType ? { ...this.attrs, 'error.type': errorType } : this.attrs);
  }

  retried(): void {
    this.retries.add(1, this.attrs);
  }
}
