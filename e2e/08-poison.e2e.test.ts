// 8. Poison records mixed into the topics: undecodable records go to the
// dead-letter topic (with where they came from), the partitions keep flowing, and
// a batch the backend refuses for good is isolated (what it then takes is delivered) or dead-lettered — never silently lost.
import type { Signal } from '@otlp-kafka/core';
import { createLoadGenerator } from '@otlp-kafka/testkit';
import { produceRaw } from '@otlp-kafka/testkit/kafka';
import { SIGNALS } from './lib/configs.js';
import { pick, sleep, waitFor } from './lib/env.js';
import { readTopic, recordIds } from './lib/kafka-admin.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { scrape } from './lib/observe.js';
import { scenario } from './lib/scenario.js';
import { lostNothing, startAtDefaults } from './lib/sdk-defaults.js';

const header = (headers: ReadonlyArray<readonly [string, Buffer]>, name: string) =>
  headers.find(([k]) => k === name)?.[1].toString();

/** Records no OTLP decoder accepts: bad wire types, OTLP/JSON in a protobuf topic, a request cut short. */
function poisonValues(signal: Signal): Buffer[] {
  const valid = createLoadGenerator({
    signals: { [signal]: 1 },
    itemsPerRequest: 20,
    seed: 8008,
    idPrefix: 'poison-',
  }).next(signal).bytes;
  return [
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
    Buffer.from('{"resourceSpans":[{"scopeSpans":[{"spans":[]}]}]}'),
    Buffer.from(valid.subarray(0, Math.floor(valid.length / 2))),
  ];
}

scenario(
  {
    id: '08',
    name: 'poison records mixed in: dead-lettered, flow continues',
    fast: true,
    stack: { gateway: { deadLetter: true } },
  },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 12, seed: 8008 });
    const sdk = await startAtDefaults(stack.agentUrl(), '08');
    await sleep(pick(10_000, 6_000));

    // Poison into every partition of every topic, between the agent's records.
    const poison: { topic: string; partition: number; offset: number; value: Buffer }[] = [];
    for (const s of SIGNALS) {
      const values = poisonValues(s);
      const messages = Array.from({ length: 6 }, (_, p) =>
        values.map((value) => ({ value, partition: p })),
      ).flat();
      const produced = await produceRaw(stack.names.topics[s], messages, { brokers: stack.brokers });
      produced.forEach((r, i) =>
        poison.push({
          topic: stack.names.topics[s],
          partition: r.partition,
          offset: r.offset,
          value: messages[i]!.value,
        }),
      );
    }
    const deliveredAtPoison = stack.backend.sink.uniqueItems;
    log(`${poison.length} poison records produced`);
    await sleep(pick(10_000, 6_000));

    // A request the backend refuses for good (INVALID_ARGUMENT), once: the gateway's batcher
    // isolates the refusal (each record's part sent again alone, then halves), and what the backend
    // then takes is delivered; only what it still refuses is dead-lettered. Never silently lost.
    stack.backend.setMode('reject', { requests: 1 });
    log('backend refuses the next request permanently');
    await sleep(pick(15_000, 8_000));

    const report = await traffic.stop();
    const stock = await sdk.finish();
    const acked = union(report.acked, stock.acked);
    // The refusal was handled: isolated (resends counted) or, for a lone item, dead-lettered.
    const resends = async () =>
      (await scrape(stack.metricsPort('gateway'))).get('otelcol_processor_batch_isolation_resends') ?? 0;
    await waitFor(
      async () =>
        (await readTopic(stack.brokers, stack.names.deadLetter)).length > poison.length ||
        (await resends()) > 0,
      60_000,
      2000,
    );
    const dead = await readTopic(stack.brokers, stack.names.deadLetter);
    const deadLettered = new Set<string>();
    let refusedRecords = 0;
    for (const d of dead) {
      const topic = header(d.headers, 'otlp-kafka-source-topic');
      const signal = SIGNALS.find((s) => stack.names.topics[s] === topic);
      const ids = signal ? recordIds(signal, d.value) : undefined;
      if (ids) {
        refusedRecords++;
        for (const id of ids) deadLettered.add(id);
      }
    }
    const missing = await drain(
      stack.backend,
      [...acked].filter((id) => !deadLettered.has(id)),
      180_000,
    );
    log(`drained (${missing.length} missing)`);
    const m = await scrape(stack.metricsPort('gateway'));
    const codes = await stack.stopAll();

    const dlqByOrigin = new Map(
      dead.map((d) => [
        `${header(d.headers, 'otlp-kafka-source-topic')}/${header(d.headers, 'otlp-kafka-source-partition')}/${header(d.headers, 'otlp-kafka-source-offset')}`,
        d,
      ]),
    );
    const notDeadLettered = poison.filter((p) => {
      const d = dlqByOrigin.get(`${p.topic}/${p.partition}/${p.offset}`);
      return !d || !d.value?.equals(p.value);
    });
    check(
      `all ${poison.length} poison records are in the dead-letter topic, unchanged, with their origin`,
      notDeadLettered.length === 0,
    );
    check(
      `the flow continued past the poison (${deliveredAtPoison} → ${stack.backend.sink.uniqueItems} items delivered)`,
      stack.backend.sink.uniqueItems > deliveredAtPoison,
    );
    const isolationResends = m.get('otelcol_processor_batch_isolation_resends') ?? 0;
    check(
      `the backend's permanent refusal was isolated (${isolationResends} resends) or dead-lettered (${refusedRecords} records, ${deadLettered.size} items), never dropped`,
      isolationResends > 0 || refusedRecords > 0,
    );
    const undelivered = [...deadLettered].filter((id) => stack.backend.sink.count(id) === 0).length;
    const counted = m.get('otelcol_kafka_receiver_dead_lettered_messages') ?? 0;
    check(
      `the gateway counted every dead letter (otelcol_kafka_receiver_dead_lettered_messages ${counted}, topic ${dead.length})`,
      counted === dead.length,
    );
    note(
      `dead-letter topic: ${dead.length} records (${poison.length} poison + ${refusedRecords} refused); ${undelivered} of the refused items never reached the backend`,
    );
    // Poison and refusals are behind Kafka: the agent answers as always, so a stock SDK loses nothing.
    check(`the SDK at its defaults lost nothing (${stock.summary})`, lostNothing(stock));
    check(
      `graceful shutdown (${JSON.stringify(codes)})`,
      Object.values(codes).every((c) => c === 0),
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    note(`backend answers: ${formatAnswers(stack.backend.statuses)}`);
    return {
      acked,
      inFlight: union(report.retried, stock.inFlight),
      clientGaveUp: report.gaveUp.length + stock.report.failed.length,
      deadLettered,
    };
  },
);
