// 7. A slow backend under high load: the gateway's queue and in-flight budgets
// stay within their limits (backpressure reaches Kafka: partitions pause), its
// memory stays bounded, the consumer lag grows — and recovers once the backend
// is fast again.
import { pick, sleep, waitFor } from './lib/env.js';
import { faultWindows } from './lib/inflight.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { rssMib, sampleMax, scrapeMaxSeries, totalLag } from './lib/observe.js';
import { scenario } from './lib/scenario.js';
import { lostNothing, startAtDefaults } from './lib/sdk-defaults.js';

const MAX_IN_FLIGHT = 100;
const QUEUE_SIZE = 10;
const SLOW_MS = 3000;

scenario(
  {
    id: '07',
    name: 'slow backend at high load',
    fast: false,
    stack: {
      gateway: { batchSize: 256, numConsumers: 1, queueSize: QUEUE_SIZE, maxInFlightMessages: MAX_IN_FLIGHT, limitMib: 256, spikeLimitMib: 64 },
    },
  },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 30, seed: 7007 });
    const sdk = await startAtDefaults(stack.agentUrl(), '07');
    await sleep(10_000);
    const gatewayPid = stack.proc('gateway').pid;
    const baselineRss = rssMib(gatewayPid) ?? 0;
    const lagBefore = await totalLag(stack.brokers, stack.names);

    const windows = faultWindows(stack.brokers, stack.names);
    await windows.open();
    stack.backend.latencyMs = SLOW_MS;
    log(`backend answers after ${SLOW_MS} ms now (gateway RSS ${baselineRss.toFixed(0)} MiB, lag ${lagBefore})`);
    const rss = sampleMax(() => rssMib(gatewayPid), 500);
    const lag = sampleMax(() => totalLag(stack.brokers, stack.names), 2000);
    // The fullest receiver / queue at each sample: the limits are per component.
    const metric = (name: string) => sampleMax(() => scrapeMaxSeries(stack.metricsPort('gateway'), name), 1000);
    const inFlight = metric('otelcol_kafka_receiver_in_flight_messages');
    const queue = metric('otelcol_exporter_queue_size');
    const paused = metric('otelcol_kafka_receiver_paused_partitions');
    await sleep(pick(45_000, 25_000));
    const lagAtRecovery = await totalLag(stack.brokers, stack.names);
    stack.backend.latencyMs = 0;
    log(`backend fast again (lag ${lagAtRecovery} records)`);
    await sleep(pick(15_000, 10_000));
    const report = await traffic.stop();
    const stock = await sdk.finish();
    const recoverStart = Date.now();
    const recovered = await waitFor(async () => (await totalLag(stack.brokers, stack.names)) === 0, 180_000, 1000);
    log(`lag back to 0 in ${Math.round((Date.now() - recoverStart) / 1000)} s after the load stopped`);
    const [maxRss, maxLag, maxInFlight, maxQueue, maxPaused] = await Promise.all([rss.stop(), lag.stop(), inFlight.stop(), queue.stop(), paused.stop()]);
    await windows.close();

    const acked = union(report.acked, stock.acked);
    const missing = await drain(stack.backend, acked, 180_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();
    check(`lag grew while the backend was slow (${lagBefore} → max ${maxLag} records)`, maxLag > lagBefore + 10);
    check('lag recovered to 0', recovered);
    check(`records in flight stayed within max_in_flight_messages (fullest receiver ${maxInFlight} ≤ ${MAX_IN_FLIGHT})`, maxInFlight <= MAX_IN_FLIGHT);
    check(`the sending queues stayed within queue_size (fullest queue ${maxQueue} ≤ ${QUEUE_SIZE})`, maxQueue <= QUEUE_SIZE);
    check(`gateway memory stayed bounded (RSS ${baselineRss.toFixed(0)} → max ${maxRss.toFixed(0)} MiB)`, maxRss - baselineRss < 150);
    note(`backpressure reached Kafka: up to ${maxPaused} partitions of one receiver paused at a sample`);
    check(`no request given up by the client (${report.gaveUp.length} items)`, report.gaveUp.length === 0);
    // A slow backend is behind Kafka: the agent answers as always, so a stock SDK loses nothing.
    check(`the SDK at its defaults lost nothing (${stock.summary})`, lostNothing(stock));
    check(`graceful shutdown (${JSON.stringify(codes)})`, Object.values(codes).every((c) => c === 0));
    note(`client answers: ${formatAnswers(report.answers)}`);
    note(`backend answers: ${formatAnswers(stack.backend.statuses)}`);
    return { acked, inFlight: union(await windows.ids(), report.retried, stock.inFlight), clientGaveUp: report.gaveUp.length + stock.report.failed.length };
  },
);
