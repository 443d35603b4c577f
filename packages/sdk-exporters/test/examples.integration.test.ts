// examples/in-process-service.ts, run against the test Kafka so that it can never rot.
import { describe, expect, it } from 'vitest';
import { decodeRequest } from '@otlp-kafka/pdata';
import { consumeRaw, freshTopic, kafkaBrokers } from '@otlp-kafka/testkit/kafka';
import { startService } from '../../../examples/in-process-service.js';

describe('examples/in-process-service.ts', () => {
  it('every request of the service becomes a span in Kafka, with its log line and the orders counter', async () => {
    const topics = {
      traces: await freshTopic('example-spans'),
      logs: await freshTopic('example-logs'),
      metrics: await freshTopic('example-metrics'),
    };
    const service = await startService(0, kafkaBrokers().split(','), topics);
    for (let i = 0; i < 30; i++) expect(await (await fetch(`${service.url}/order/${i}`)).text()).toBe('ok\n');
    await service.stop();

    // 30 traces of one span each: one record per trace (partitioned by trace id).
    const names: string[] = [];
    for (const r of await consumeRaw(topics.traces, { count: 30, timeoutMs: 30_000 }))
      for (const rs of decodeRequest('traces', r.value!).unwrap().resourceSpans)
        for (const ss of rs.scopeSpans) for (const s of ss.spans) names.push(s.name);
    expect(names.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `GET /order/${i}`).sort());

    let lines = 0;
    for (const r of await consumeRaw(topics.logs, { count: 1, timeoutMs: 30_000 }))
      for (const rl of decodeRequest('logs', r.value!).unwrap().resourceLogs)
        for (const sl of rl.scopeLogs) lines += sl.logRecords.length;
    expect(lines).toBe(30);

    const [metricRecord] = await consumeRaw(topics.metrics, { count: 1, timeoutMs: 30_000 });
    const metric = decodeRequest('metrics', metricRecord!.value!)
      .unwrap()
      .resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .find((m) => m.name === 'orders');
    expect(metric?.sum?.dataPoints[0]?.asInt ?? metric?.sum?.dataPoints[0]?.asDouble).toBe(30);
  });
});
