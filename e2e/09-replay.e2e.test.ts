// 9. Replay, as the seed promises: stop the gateways, reset their consumer groups
// to the earliest retained offsets (docs/replay.md), start them again — every
// item still in Kafka is exported a second time, nothing more, nothing less.
import { SIGNALS } from './lib/configs.js';
import { pick, sleep, waitFor } from './lib/env.js';
import { resetGroupToEarliest } from './lib/kafka-admin.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { totalLag } from './lib/observe.js';
import { scenario } from './lib/scenario.js';
import { lostNothing, startAtDefaults } from './lib/sdk-defaults.js';

scenario(
  { id: '09', name: 'replay: reset the groups to earliest, export again', fast: true },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 12, seed: 9009 });
    const sdk = await startAtDefaults(stack.agentUrl(), '09');
    await sleep(pick(25_000, 12_000));
    const report = await traffic.stop();
    const stock = await sdk.finish();
    // Both clients' items: the replay must export every one of them a second time.
    const acked = union(report.acked, stock.acked);
    const missing = await drain(stack.backend, acked, 180_000);
    log(`first export complete (${acked.size} items, ${missing.length} missing)`);
    const firstPass = [...acked].filter((id) => stack.backend.sink.count(id) === 1).length;

    // The procedure of docs/replay.md: stop the consumers, reset, start them.
    const gatewayExit = await stack.proc('gateway').stop();
    check(`gateway stopped cleanly before the reset (${gatewayExit})`, gatewayExit === 0);
    const lagAfterStop = await totalLag(stack.brokers, stack.names);
    check(`the groups had committed everything (lag ${lagAfterStop})`, lagAfterStop === 0);
    for (const s of SIGNALS) {
      const reset = await resetGroupToEarliest(stack.brokers, stack.names.groups[s], stack.names.topics[s]);
      log(`${stack.names.groups[s]} reset to ${reset.map((r) => `${r.partition}:${r.offset}`).join(' ')}`);
    }
    const lagAfterReset = await totalLag(stack.brokers, stack.names);
    check(`after the reset the groups lag by every record (${lagAfterReset})`, lagAfterReset > 0);
    const t = Date.now();
    await stack.startGateway();
    const replayed = await waitFor(
      () => [...acked].every((id) => stack.backend.sink.count(id) >= 2),
      240_000,
      1000,
    );
    log(`replay ${replayed ? 'complete' : 'INCOMPLETE'} in ${Math.round((Date.now() - t) / 1000)} s`);
    await waitFor(async () => (await totalLag(stack.brokers, stack.names)) === 0, 60_000, 1000);
    const codes = await stack.stopAll();

    const counts = new Map<number, number>();
    for (const id of acked)
      counts.set(stack.backend.sink.count(id), (counts.get(stack.backend.sink.count(id)) ?? 0) + 1);
    check(
      `before the replay every item had arrived exactly once (${firstPass} of ${acked.size})`,
      firstPass === acked.size,
    );
    check(
      `after the replay every item arrived exactly twice (deliveries per item: ${[...counts].map(([k, v]) => `${k}×${v}`).join(' ')})`,
      counts.size === 1 && counts.has(2),
    );
    check(`the SDK at its defaults lost nothing (${stock.summary})`, lostNothing(stock));
    check(
      `graceful shutdown (${JSON.stringify(codes)})`,
      Object.values(codes).every((c) => c === 0),
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    // Every item is deliberately exported twice: the whole topic is the replayed window.
    return { acked, inFlight: acked, clientGaveUp: report.gaveUp.length + stock.report.failed.length };
  },
);
