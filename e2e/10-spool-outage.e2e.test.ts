// 10. Kafka away longer than the applications retry, with the agent's disk spool
// (sending_queue.storage: file_storage): the agent keeps acknowledging from its disk, a stock
// OpenTelemetry SDK loses nothing, the agent SIGKILLed while the spool holds data and again
// while it drains loses nothing it acknowledged, and everything reaches the backend once
// Kafka is back.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inspectSpool } from '@otlp-kafka/spool';
import { itemIds } from '@otlp-kafka/testkit';
import { pick, sleep } from './lib/env.js';
import { faultWindows } from './lib/inflight.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { scenario } from './lib/scenario.js';
import { lostNothing, startAtDefaults } from './lib/sdk-defaults.js';

scenario(
  {
    id: '10',
    name: 'Kafka away for minutes, agent with a disk spool',
    fast: true,
    stack: { agent: { spool: true, kafkaTimeout: '5s' } },
  },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const traffic = load({
      target: () => stack.agentUrl(),
      requestsPerSecond: 10,
      seed: 10010,
      deadlineMs: 600_000,
    });
    const stock = await startAtDefaults(stack.agentUrl(), '10');
    await sleep(pick(10_000, 6_000));

    const outageMs = pick(180_000, 45_000);
    // The gateway's consumer groups re-read what they had not committed when the brokers died.
    const windows = faultWindows(stack.brokers, stack.names);
    await windows.open();
    const answersBefore = { ...traffic.answers };
    await stack.cluster.killAll();
    const downAt = Date.now();
    log(`all brokers SIGKILLed for ${outageMs / 1000} s`);
    await sleep(outageMs / 2);
    // The spool holds data now: kill the agent and start it again while Kafka is still away.
    stock.markInFlight();
    const inFlightAtKill = traffic.inFlightIds();
    await stack.proc('agent').kill();
    log(`agent SIGKILLed holding the spool (${inFlightAtKill.length} items in requests awaiting an answer)`);
    await stack.startAgent();
    await sleep(outageMs / 2);
    const answersDuring = Object.fromEntries(
      Object.entries(traffic.answers).map(([k, v]) => [k, v - (answersBefore[k] ?? 0)]),
    );
    await stack.cluster.restartAll();
    log(`Kafka back after ${Math.round((Date.now() - downAt) / 1000)} s`);
    // Kill it once more while the spool drains into Kafka.
    await sleep(2000);
    stock.markInFlight();
    const inFlightAtSecondKill = traffic.inFlightIds();
    await stack.proc('agent').kill();
    // What the spool has not recorded as forwarded is sent again after the restart: some of it
    // may already be in Kafka (it was in flight). Those are the only duplicates the spool may add.
    const resent = new Set<string>();
    const spoolDir = join(stack.dir, 'spool');
    for (const component of await readdir(spoolDir))
      for (const b of (await inspectSpool(join(spoolDir, component))).batches)
        for (const id of itemIds(b).unwrap()) resent.add(id);
    log(`agent SIGKILLed while draining; ${resent.size} items in its spool not yet recorded as forwarded`);
    await stack.startAgent();
    await sleep(pick(20_000, 10_000));
    await windows.close();

    const report = await traffic.stop();
    const stockOutcome = await stock.finish();
    const acked = union(report.acked, stockOutcome.acked);
    const missing = await drain(stack.backend, acked, 300_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();
    const ok200 = answersDuring['200'] ?? 0;
    check(
      `the agent kept acknowledging while Kafka was away (${formatAnswers(answersDuring)})`,
      ok200 > 0 &&
        Object.entries(answersDuring).every(
          ([k, v]) => k === '200' || k === 'refused' || k === 'timeout' || v === 0 || k === '503',
        ),
    );
    note(stockOutcome.summary);
    check(
      `the stock OpenTelemetry SDK lost nothing through the outage (${stockOutcome.summary})`,
      lostNothing(stockOutcome),
    );
    check(`no request given up by the client (${report.gaveUp.length} items)`, report.gaveUp.length === 0);
    check(
      `graceful shutdown at the end (${JSON.stringify(codes)})`,
      Object.values(codes).every((c) => c === 0),
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    return {
      acked,
      inFlight: union(
        await windows.ids(),
        resent,
        new Set(inFlightAtKill),
        new Set(inFlightAtSecondKill),
        report.retried,
        stockOutcome.inFlight,
      ),
      clientGaveUp: report.gaveUp.length,
    };
  },
);
