import { outcomeKind, refusalOf, type Outcome } from '@otlp-kafka/core';
import { decodeRequest, requestFromJson } from '@otlp-kafka/pdata';
import {
  consumeRaw,
  freshTopic,
  kafkaBrokers,
  startKafkaCluster,
  type KafkaCluster,
} from '@otlp-kafka/testkit/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { createKafkaExporter, type KafkaExporter, type KafkaExporterOptions } from '../src/index.js';
import { hex, logRecord, logsBatch, span, spansIn, tracesBatch } from './support/data.js';

const open: KafkaExporter[] = [];
const clusters: KafkaCluster[] = [];

async function exporterFor(options: KafkaExporterOptions): Promise<KafkaExporter> {
  const e = createKafkaExporter({ brokers: kafkaBrokers().split(','), ...options });
  open.push(e);
  await e.start();
  return e;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.shutdown()));
  await Promise.all(clusters.splice(0).map((c) => c.stop()));
});

/** Batch i holds `spans` spans with ids unique across batches, `traces` traces per batch. */
function batch(i: number, spans: number, traces = spans, pad = 0) {
  return tracesBatch([
    {
      attrs: { 'service.name': `svc-${i % 3}` },
      items: Array.from({ length: spans }, (_, j) => span(i * 1000 + (j % traces), i * 1000 + j, pad)),
    },
  ]);
}

describe('kafka exporter against Kafka', () => {
  it('delivers every item of many concurrent batches with acks=all, ok only after the acknowledgements', async () => {
    const topic = await freshTopic('kpe-all', { partitions: 3 });
    const exporter = await exporterFor({ topic, producer: { requiredAcks: -1, lingerMs: 5 } });
    expect(exporter.connected).toBe(true);
    const batches = Array.from({ length: 25 }, (_, i) => batch(i, 40));
    const outcomes = await Promise.all(batches.map((b) => exporter.consume(b)));
    expect(outcomes.map(outcomeKind)).toEqual(batches.map(() => 'ok'));

    const records = await consumeRaw(topic, { count: 25, timeoutMs: 30_000 });
    expect(records).toHaveLength(25);
    const got = records.flatMap((r) => spansIn(r.value!).map((s) => s.id));
    const sent = batches.flatMap((b) => spansIn(b.bytes).map((s) => s.id));
    expect(got.length).toBe(sent.length);
    expect(new Set(got)).toEqual(new Set(sent));
  });

  it('splits a batch larger than maxMessageBytes into records that fit, losing nothing', async () => {
    const topic = await freshTopic('kpe-split');
    const exporter = await exporterFor({ topic, producer: { maxMessageBytes: 4000 } });
    const big = batch(1, 200, 20, 100);
    expect(big.bytes.length).toBeGreaterThan(30_000);
    expect(outcomeKind(await exporter.consume(big))).toBe('ok');

    const records = await consumeRaw(topic, { count: 1000, timeoutMs: 5000 }); // reads what there is
    expect(records.length).toBeGreaterThanOrEqual(Math.ceil(big.bytes.length / 4000));
    for (const r of records) expect(r.value!.length).toBeLessThanOrEqual(4000);
    expect(records.flatMap((r) => spansIn(r.value!).map((s) => s.id)).sort()).toEqual(
      spansIn(big.bytes)
        .map((s) => s.id)
        .sort(),
    );
  });

  it('with partitionTracesById, all spans of a trace land on one partition, keyed by trace id', async () => {
    const topic = await freshTopic('kpe-traceid', { partitions: 6 });
    const exporter = await exporterFor({ topic, partitionTracesById: true });
    // 4 batches x 30 spans over 10 traces; trace t appears in every batch (ids repeat across batches on purpose).
    const batches = Array.from({ length: 4 }, (_, i) =>
      tracesBatch([
        {
          attrs: { 'service.name': `svc-${i}` },
          items: Array.from({ length: 30 }, (_, j) => span(j % 10, i * 100 + j)),
        },
      ]),
    );
    for (const b of batches) expect(outcomeKind(await exporter.consume(b))).toBe('ok');

    const records = await consumeRaw(topic, { count: 40, timeoutMs: 30_000 });
    expect(records).toHaveLength(40); // one record per trace per batch
    const partitionsOfTrace = new Map<string, Set<number>>();
    for (const r of records) {
      const traces = new Set(spansIn(r.value!).map((s) => s.trace));
      expect(traces.size).toBe(1);
      const [trace] = traces;
      expect(r.key?.toString()).toBe(trace);
      partitionsOfTrace.set(trace!, (partitionsOfTrace.get(trace!) ?? new Set()).add(r.partition));
    }
    expect(partitionsOfTrace.size).toBe(10);
    for (const parts of partitionsOfTrace.values()) expect(parts.size).toBe(1);
    expect(new Set([...partitionsOfTrace.values()].map((s) => [...s][0])).size).toBeGreaterThan(1);
  });

  it('writes otlp_json with static and metadata headers, and routes by resource attribute', async () => {
    const main = await freshTopic('kpe-json');
    const routed = await freshTopic('kpe-routed');
    const exporter = await exporterFor({
      topics: { logs: main },
      encoding: 'otlp_json',
      topicFromAttribute: 'kafka.topic',
      headers: { origin: 'agent-1' },
      headersFromMetadata: ['x-tenant'],
    });
    const b = logsBatch(
      [
        { attrs: { 'service.name': 'plain' }, items: [logRecord(1), logRecord(2)] },
        { attrs: { 'service.name': 'special', 'kafka.topic': routed }, items: [logRecord(3)] },
      ],
      { headers: { 'x-tenant': ['acme'] } },
    );
    expect(outcomeKind(await exporter.consume(b))).toBe('ok');
    const [m] = await consumeRaw(main, { count: 1, timeoutMs: 30_000 });
    const [r] = await consumeRaw(routed, { count: 1, timeoutMs: 30_000 });
    const ids = (v: Buffer) =>
      requestFromJson('logs', v.toString('utf8'))
        .unwrap()
        .resourceLogs.flatMap((rl) =>
          rl.scopeLogs.flatMap((sl) => sl.logRecords.map((l) => l.attributes[0]!.value!.stringValue)),
        );
    expect(ids(m!.value!)).toEqual(['1', '2']);
    expect(ids(r!.value!)).toEqual(['3']);
    expect(m!.headers.map(([k, v]) => [k, v.toString()])).toEqual([
      ['origin', 'agent-1'],
      ['x-tenant', 'acme'],
    ]);
  });

  it('Kafka unreachable from the start (bogus port): retryable, never ok', async () => {
    const exporter = createKafkaExporter({
      brokers: ['127.0.0.1:1'],
      connectTimeoutMs: 2000,
      producer: { messageTimeoutMs: 2000 },
    });
    open.push(exporter);
    await exporter.start();
    expect(exporter.connected).toBe(false);
    const outcome = await exporter.consume(batch(1, 5));
    expect(outcome.isErr() && outcome.error).toMatchObject({
      kind: 'retryable',
      error: { code: 'ERR_KAFKA_NOT_CONNECTED' },
    });
  });

  it('broker gone after connecting: retryable once messageTimeoutMs passes, never ok', async () => {
    const cluster = await startKafkaCluster({ nodes: 1 });
    clusters.push(cluster);
    const topic = await freshTopic('kpe-down', { brokers: cluster.brokers });
    const exporter = createKafkaExporter({
      brokers: cluster.brokers.split(','),
      topic,
      producer: { messageTimeoutMs: 3000 },
      shutdownTimeoutMs: 2000,
    });
    open.push(exporter);
    await exporter.start();
    expect(outcomeKind(await exporter.consume(batch(1, 5)))).toBe('ok');

    await cluster.kill(0);
    const t0 = Date.now();
    const outcome: Outcome = await exporter.consume(batch(2, 5));
    const elapsed = Date.now() - t0;
    expect(outcomeKind(outcome)).toBe('retryable');
    expect(refusalOf(outcome)?.message).toMatch(
      /ERR__MSG_TIMED_OUT|ERR__TRANSPORT|ERR__ALL_BROKERS_DOWN|librdkafka error/,
    );
    // librdkafka held the message until its timeout rather than failing at once.
    expect(elapsed).toBeGreaterThanOrEqual(2500);
  });
});

describe('decode check', () => {
  it('records hold protobuf requests pdata decodes', async () => {
    const topic = await freshTopic('kpe-proto');
    const exporter = await exporterFor({ topic });
    const b = tracesBatch([{ attrs: { 'service.name': 'p' }, items: [span(9, 9)] }]);
    expect(outcomeKind(await exporter.consume(b))).toBe('ok');
    const [r] = await consumeRaw(topic, { count: 1, timeoutMs: 30_000 });
    const req = decodeRequest('traces', r!.value!).unwrap();
    expect(hex(req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.spanId)).toBe(spansIn(b.bytes)[0]!.id);
  });
});
