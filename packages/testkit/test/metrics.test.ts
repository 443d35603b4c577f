import { createTestMeter, type TestMeter } from '@otlp-kafka/testkit/metrics';
import { afterEach, describe, expect, it } from 'vitest';

let meter: TestMeter | undefined;
afterEach(async () => {
  await meter?.shutdown();
  meter = undefined;
});

describe('createTestMeter', () => {
  it('reads counters, gauges and histograms into name → points', async () => {
    meter = createTestMeter();
    const m = meter.meterProvider.getMeter('t');
    m.createCounter('sent').add(3, { exporter: 'a' });
    m.createCounter('sent').add(4, { exporter: 'b' });
    m.createGauge('queue').record(7);
    const latency = m.createHistogram('latency');
    latency.record(2);
    latency.record(5);
    const values = await meter.read();
    expect(values.get('sent')).toEqual([
      { attributes: { exporter: 'a' }, value: 3 },
      { attributes: { exporter: 'b' }, value: 4 },
    ]);
    expect(values.get('queue')).toEqual([{ attributes: {}, value: 7 }]);
    expect(values.get('latency')).toEqual([{ attributes: {}, value: { count: 2, sum: 7 } }]);
  });

  it('sums the points whose attributes include the given ones; undefined when none match', async () => {
    meter = createTestMeter();
    const sent = meter.meterProvider.getMeter('t').createCounter('sent');
    sent.add(3, { exporter: 'a', outcome: 'ok' });
    sent.add(4, { exporter: 'b', outcome: 'ok' });
    sent.add(0, { exporter: 'c', outcome: 'ok' });
    expect(await meter.sum('sent')).toBe(7);
    expect(await meter.sum('sent', { outcome: 'ok', exporter: 'b' })).toBe(4);
    expect(await meter.sum('sent', { exporter: 'c' })).toBe(0);
    expect(await meter.sum('sent', { exporter: 'd' })).toBeUndefined();
    expect(await meter.sum('never')).toBeUndefined();
  });

  it('with delta temporality, each read reports what was recorded since the previous one', async () => {
    meter = createTestMeter({ temporality: 'delta' });
    const sent = meter.meterProvider.getMeter('t').createCounter('sent');
    sent.add(2);
    expect(await meter.sum('sent')).toBe(2);
    sent.add(5);
    expect(await meter.sum('sent')).toBe(5);
  });

  it('collects raw ResourceMetrics with the given resource, for code that serializes them', async () => {
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    meter = createTestMeter({ resource: resourceFromAttributes({ 'service.name': 'svc' }) });
    meter.meterProvider.getMeter('t').createCounter('sent').add(1);
    const rm = await meter.collect();
    expect(rm.resource.attributes['service.name']).toBe('svc');
    expect(rm.scopeMetrics[0]?.metrics[0]?.descriptor.name).toBe('sent');
  });
});
