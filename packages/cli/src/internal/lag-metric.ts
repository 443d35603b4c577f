import type { MeterProvider } from '@opentelemetry/api';
import type { BuiltService, ParsedConfig } from '@otlp-kafka/config';
import type { KafkaReceiver } from '@otlp-kafka/kafka-consumer-receiver';

/**
 * `kafka_consumer_group_lag{group, topic, partition}` for every kafka receiver,
 * so the seed's PromQL (sum by (topic, group) (kafka_consumer_group_lag{...}))
 * works against this process's /metrics without a separate Kafka exporter.
 */
export function registerGroupLagMetric(
  meterProvider: MeterProvider,
  config: ParsedConfig,
  built: BuiltService,
): void {
  const receivers: { group: string; receiver: KafkaReceiver }[] = [];
  for (const [id, c] of config.receivers) {
    const receiver = built.receivers.get(id);
    if (c.type !== 'kafka' || !receiver || !('lag' in receiver)) continue;
    receivers.push({
      group: (c.config as { group_id?: string }).group_id ?? 'otel-collector',
      receiver: receiver as KafkaReceiver,
    });
  }
  if (receivers.length === 0) return;
  const gauge = meterProvider.getMeter('@otlp-kafka/cli').createObservableGauge('kafka_consumer_group_lag', {
    description:
      'Records of a partition not yet committed by the consumer group (high watermark - committed offset)',
  });
  gauge.addCallback(async (result) => {
    for (const { group, receiver } of receivers) {
      const rows = await receiver.lag().catch(() => []);
      // A partition the group never committed counts from offset 0 (an upper bound once retention trimmed it).
      for (const r of rows)
        result.observe(r.lag ?? r.highWatermark, { group, topic: r.topic, partition: String(r.partition) });
    }
  });
}
