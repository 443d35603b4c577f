import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { outcomeKind } from '@otlp-kafka/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RD } from '../../src/internal/codes.js';
import { KafkaExporterImpl } from '../../src/internal/kafka-exporter.js';
import { span, tracesBatch } from '../support/data.js';
import { fakeProducers, rdError } from '../support/fake-producer.js';

let provider: MeterProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
});

async function collect(reader: PeriodicExportingMetricReader, exporter: InMemoryMetricExporter) {
  await reader.forceFlush();
  const points = new Map<string, { attributes: Record<string, unknown>; value: unknown }[]>();
  for (const rm of exporter.getMetrics())
    for (const sm of rm.scopeMetrics)
      for (const m of sm.metrics)
        points.set(
          m.descriptor.name,
          m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })),
        );
  return points;
}

describe('exporter metrics', () => {
  it('counts records, bytes and latency per topic and outcome, and items sent or failed', async () => {
    const memory = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: memory, exportIntervalMillis: 3_600_000 });
    provider = new MeterProvider({ readers: [reader] });
    const fakes = fakeProducers();
    const exporter = new KafkaExporterImpl(
      { meterProvider: provider, name: 'kafka/agent' },
      { producerFactory: fakes.factory },
    );
    await exporter.start();
    const p = fakes.instances[0]!;

    const good = tracesBatch([{ attrs: {}, items: [span(1, 1), span(1, 2), span(1, 3)] }]);
    const ok = exporter.consume(good);
    p.reportAll();
    expect(outcomeKind(await ok)).toBe('ok');
    const bad = exporter.consume(tracesBatch([{ attrs: {}, items: [span(2, 4), span(2, 5)] }]));
    p.reportAll(rdError(RD.ERR__MSG_TIMED_OUT));
    expect(outcomeKind(await bad)).toBe('retryable');
    await exporter.shutdown();

    const m = await collect(reader, memory);
    const exp = { exporter: 'kafka/agent' };
    expect(m.get('otelcol_exporter_sent_spans')).toEqual([{ attributes: exp, value: 3 }]);
    expect(m.get('otelcol_exporter_send_failed_spans')).toEqual([{ attributes: exp, value: 2 }]);
    const records = m.get('otelcol_kafka_exporter_records')!;
    expect(records).toContainEqual({
      attributes: { ...exp, topic: 'otlp_spans', outcome: 'success' },
      value: 1,
    });
    expect(records).toContainEqual({
      attributes: { ...exp, topic: 'otlp_spans', outcome: 'failure' },
      value: 1,
    });
    const bytes = m.get('otelcol_kafka_exporter_bytes')!;
    expect(bytes).toContainEqual({
      attributes: { ...exp, topic: 'otlp_spans', outcome: 'success' },
      value: good.bytes.length,
    });
    const latency = m.get('otelcol_kafka_exporter_write_latency')!;
    expect(latency.map((l) => (l.value as { count: number }).count)).toEqual([1, 1]);
  });
});
