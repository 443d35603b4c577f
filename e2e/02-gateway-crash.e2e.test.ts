// 2. A gateway SIGKILLed while it has records in flight (the backend answers
// slowly, so a batch is always on its way), then restarted: the uncommitted tail
// is read again, nothing acknowledged is lost, and only that tail can repeat.
import { pick, sleep } from './lib/env.js';
import { faultWindows } from './lib/inflight.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { scrape } from './lib/observe.js';
import { scenario } from './lib/scenario.js';
import { lostNothing, startAtDefaults } from './lib/sdk-defaults.js';

scenario(
  { id: '02', name: 'gateway SIGKILLed mid-batch, restarted', fast: true, stack: { backendLatencyMs: 300 } },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const windows = faultWindows(stack.brokers, stack.names);
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 15, seed: 2002 });
    const sdk = await startAtDefaults(stack.agentUrl(), '02');
    await sleep(pick(12_000, 8_000));

    const crashes = pick(2, 1);
    for (let i = 1; i <= crashes; i++) {
      const m = await scrape(stack.metricsPort('gateway'));
      const inFlight = m.get('otelcol_kafka_receiver_in_flight_messages') ?? 0;
      await windows.open();
      const deliveredAtKill = stack.backend.sink.uniqueItems;
      const signal = await stack.proc('gateway').kill();
      // Records a crashed gateway could have dispatched end at the partitions' ends now.
      await windows.close();
      log(
        `gateway SIGKILLed (${signal}) with ${inFlight} records in flight; ${deliveredAtKill} items delivered so far`,
      );
      check(`crash ${i}: the gateway had records in flight when killed (${inFlight})`, inFlight > 0);
      await sleep(pick(8_000, 5_000));
      await stack.startGateway();
      log('gateway restarted');
      await sleep(pick(12_000, 8_000));
    }

    const report = await traffic.stop();
    const stock = await sdk.finish();
    const acked = union(report.acked, stock.acked);
    const missing = await drain(stack.backend, acked, 180_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();
    // A gateway crash is behind Kafka: the agent answers as always, so a stock SDK loses nothing.
    check(`the SDK at its defaults lost nothing (${stock.summary})`, lostNothing(stock));
    check(
      `graceful shutdown at the end (${JSON.stringify(codes)})`,
      Object.values(codes).every((c) => c === 0),
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    return {
      acked,
      inFlight: union(await windows.ids(), report.retried, stock.inFlight),
      clientGaveUp: report.gaveUp.length + stock.report.failed.length,
    };
  },
);
