// 7. A slow backend under high load: the gateway's queue and in-flight budgets
// stay within their limits (backpressure reaches Kafka: partitions pause), its
// memory stays bounded, the consumer lag grows — and recovers once the backend
// is fast again. No fault window: a slow backend is no fault, so the only
// duplicates allowed are exact ones — client re-sends, and the gateway's
// retries of export attempts that got no answer within the export timeout
// while the backend still accepted them (the backend counts every delivery
// that came in a request marked as a retry; see ledger.ts).
import { readFileSync } from 'node:fs';
import { pick, sleep, waitFor } from './lib/env.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { rssMib, sampleMax, scrapeMaxSeries, totalLag } from './lib/observe.js';
import { scenario } from './lib/scenario.js';
import { lostNothing, startAtDefaults } from './lib/sdk-defaults.js';

const MAX_IN_FLIGHT = 100;
const QUEUE_SIZE = 10;
const SLOW_MS = 3000;
/** The gateway's export attempt timeout (configs.ts default `timeout: 5s`)... */
const EXPORT_TIMEOUT_MS = 5000;
/** ...and, for the first seconds of the slow phase, a backend slower than it: attempts time out, the backend accepts them all the same. */
const SLOWER_MS = EXPORT_TIMEOUT_MS + 1000;

scenario(
  {
    id: '07',
    name: 'slow backend at high load',
    fast: true,
    stack: {
      gateway: {
        batchSize: 256,
        numConsumers: 1,
        queueSize: QUEUE_SIZE,
        maxInFlightMessages: MAX_IN_FLIGHT,
        limitMib: 256,
        spikeLimitMib: 64,
      },
    },
  },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 30, seed: 7007 });
    const sdk = await startAtDefaults(stack.agentUrl(), '07');
    await sleep(pick(10_000, 5_000));
    const gatewayPid = stack.proc('gateway').pid;
    const baselineRss = rssMib(gatewayPid) ?? 0;
    const lagBefore = await totalLag(stack.brokers, stack.names);

    stack.backend.latencyMs = SLOWER_MS;
    log(
      `backend answers after ${SLOWER_MS} ms now, past the export timeout (gateway RSS ${baselineRss.toFixed(0)} MiB, lag ${lagBefore})`,
    );
    const rss = sampleMax(() => rssMib(gatewayPid), 500);
    const lag = sampleMax(() => totalLag(stack.brokers, stack.names), 2000);
    // The fullest receiver / queue at each sample: the limits are per component.
    const metric = (name: string) =>
      sampleMax(() => scrapeMaxSeries(stack.metricsPort('gateway'), name), 1000);
    const inFlight = metric('otelcol_kafka_receiver_in_flight_messages');
    const queue = metric('otelcol_exporter_queue_size');
    const paused = metric('otelcol_kafka_receiver_paused_partitions');
    await sleep(SLOWER_MS);
    stack.backend.latencyMs = SLOW_MS;
    log(`backend answers after ${SLOW_MS} ms now`);
    await sleep(pick(45_000, 15_000) - SLOWER_MS);
    const lagAtRecovery = await totalLag(stack.brokers, stack.names);
    stack.backend.latencyMs = 0;
    log(`backend fast again (lag ${lagAtRecovery} records)`);
    await sleep(pick(15_000, 5_000));
    const report = await traffic.stop();
    const stock = await sdk.finish();
    const recoverStart = Date.now();
    const recovered = await waitFor(
      async () => (await totalLag(stack.brokers, stack.names)) === 0,
      180_000,
      1000,
    );
    log(`lag back to 0 in ${Math.round((Date.now() - recoverStart) / 1000)} s after the load stopped`);
    const [maxRss, maxLag, maxInFlight, maxQueue, maxPaused] = await Promise.all([
      rss.stop(),
      lag.stop(),
      inFlight.stop(),
      queue.stop(),
      paused.stop(),
    ]);

    const acked = union(report.acked, stock.acked);
    const missing = await drain(stack.backend, acked, 180_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();
    check(
      `lag grew while the backend was slow (${lagBefore} → max ${maxLag} records)`,
      maxLag > lagBefore + 10,
    );
    check('lag recovered to 0', recovered);
    check(
      `records in flight stayed within max_in_flight_messages (fullest receiver ${maxInFlight} ≤ ${MAX_IN_FLIGHT})`,
      maxInFlight <= MAX_IN_FLIGHT,
    );
    check(
      `the sending queues stayed within queue_size (fullest queue ${maxQueue} ≤ ${QUEUE_SIZE})`,
      maxQueue <= QUEUE_SIZE,
    );
    check(
      `gateway memory stayed bounded (RSS ${baselineRss.toFixed(0)} → max ${maxRss.toFixed(0)} MiB)`,
      maxRss - baselineRss < 150,
    );
    note(`backpressure reached Kafka: up to ${maxPaused} partitions of one receiver paused at a sample`);
    check(`no request given up by the client (${report.gaveUp.length} items)`, report.gaveUp.length === 0);
    // A slow backend is behind Kafka: the agent answers as always, so a stock SDK loses nothing.
    check(`the SDK at its defaults lost nothing (${stock.summary})`, lostNothing(stock));
    check(
      `graceful shutdown (${JSON.stringify(codes)})`,
      Object.values(codes).every((c) => c === 0),
    );
    // The backend counts the items of retried requests; the gateway logs each attempt that timed out.
    const timedOut =
      readFileSync(stack.logFile('gateway'), 'utf8').split('export attempt timed out').length - 1;
    check(
      `attempts past the export timeout were sent again, marked as retries (${timedOut} timed out in the gateway log, ${stack.backend.resent.size} items re-sent)`,
      timedOut > 0 && stack.backend.resent.size > 0,
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    note(`backend answers: ${formatAnswers(stack.backend.statuses)}`);
    return {
      acked,
      inFlight: union(report.retried, stock.inFlight),
      clientGaveUp: report.gaveUp.length + stock.report.failed.length,
    };
  },
);
