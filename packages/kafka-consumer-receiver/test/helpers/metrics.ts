import { createTestMeter, type MetricPoint, type TestMeter } from '@otlp-kafka/testkit/metrics';

/** testkit's test meter, plus the points of one metric (delta: each read reports only what was observed since the last). */
export function testMeter(temporality: 'cumulative' | 'delta' = 'cumulative'): TestMeter & { points(name: string): Promise<readonly MetricPoint[]> } {
  const meter = createTestMeter({ temporality });
  return { ...meter, points: async (name) => (await meter.read()).get(name) ?? [] };
}
