// 1. The backend goes down mid-stream and comes back: the agent keeps
// acknowledging (Kafka holds the data), the gateway's lag grows, and after the
// outage everything acknowledged arrives.
import { pick, sleep } from './lib/env.js';
import { faultWindows } from './lib/inflight.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { sampleMax, totalLag } from './lib/observe.js';
import { scenario } from './lib/scenario.js';
import { lostNothing, startAtDefaults } from './lib/sdk-defaults.js';

scenario(
  { id: '01', name: 'backend down mid-stream, then back', fast: true },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const windows = faultWindows(stack.brokers, stack.names);
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 15, seed: 1001 });
    const sdk = await startAtDefaults(stack.agentUrl(), '01');
    await sleep(pick(15_000, 8_000));

    await windows.open();
    await stack.backend.stop();
    const ackedBefore = traffic.acked.size;
    const deliveredBefore = stack.backend.sink.uniqueItems;
    log(`backend DOWN (acked so far ${ackedBefore})`);
    // An answer lost when the backend went away can only concern a record dispatched by now.
    await windows.close();
    const lag = sampleMax(() => totalLag(stack.brokers, stack.names), 2000);
    await sleep(pick(40_000, 15_000));
    const ackedDuringOutage = traffic.acked.size - ackedBefore;
    await stack.backend.restart();
    log('backend UP');
    const maxLag = await lag.stop();
    await sleep(pick(15_000, 8_000));

    const report = await traffic.stop();
    const stock = await sdk.finish();
    const acked = union(report.acked, stock.acked);
    const missing = await drain(stack.backend, acked, 180_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();

    check(
      `the agent kept acknowledging during the outage (${ackedDuringOutage} items)`,
      ackedDuringOutage > 0,
    );
    check(`records waited in Kafka during the outage (max lag ${maxLag} records)`, maxLag > 0);
    check(
      `delivery resumed after the outage (${deliveredBefore} → ${stack.backend.sink.uniqueItems} items)`,
      stack.backend.sink.uniqueItems > deliveredBefore,
    );
    // The agent was up throughout: a stock SDK exporting one batch at a time must lose nothing.
    check(`the SDK at its defaults lost nothing (${stock.summary})`, lostNothing(stock));
    check(
      `graceful shutdown (${JSON.stringify(codes)})`,
      Object.values(codes).every((c) => c === 0),
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    note(`backend answers: ${formatAnswers(stack.backend.statuses)}`);
    return {
      acked,
      inFlight: union(await windows.ids(), report.retried, stock.inFlight),
      clientGaveUp: report.gaveUp.length + stock.report.failed.length,
    };
  },
);
