// 6. Kafka entirely down for a while under the agent: clients get retryable
// answers (never an error that makes them drop data), nothing acknowledged is
// lost, and the flow resumes when the brokers are back.
import { pick, sleep, waitFor } from './lib/env.js';
import { faultWindows } from './lib/inflight.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { scenario } from './lib/scenario.js';

const RETRYABLE_ANSWERS = new Set(['200', '429', '502', '503', '504', 'timeout', 'refused']);

scenario(
  {
    id: '06',
    name: 'Kafka entirely down under the agent',
    fast: true,
    stack: { agent: { kafkaTimeout: '5s' } },
  },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const windows = faultWindows(stack.brokers, stack.names);
    const traffic = load({
      target: () => stack.agentUrl(),
      requestsPerSecond: 10,
      seed: 6006,
      deadlineMs: 300_000,
    });
    await sleep(pick(12_000, 8_000));

    await windows.open();
    const answersBefore = { ...traffic.answers };
    await stack.cluster.killAll();
    const downAt = Date.now();
    log('all three brokers SIGKILLed');
    await sleep(pick(30_000, 20_000));
    const answersDuring = Object.fromEntries(
      Object.entries(traffic.answers).map(([k, v]) => [k, v - (answersBefore[k] ?? 0)]),
    );
    const ackedAtRestart = traffic.acked.size;
    const t = Date.now();
    await stack.cluster.restartAll();
    log(`Kafka down for ${Math.round((Date.now() - downAt) / 1000)} s; restart took ${Date.now() - t} ms`);
    const resumed = await waitFor(() => traffic.acked.size > ackedAtRestart, 120_000, 500);
    check(`the agent acknowledged again after Kafka came back`, resumed);
    await sleep(pick(20_000, 10_000));
    await windows.close();

    const report = await traffic.stop();
    const missing = await drain(stack.backend, report.acked, 240_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();
    const nonRetryable = Object.keys(report.answers).filter((a) => !RETRYABLE_ANSWERS.has(a));
    check(
      `clients got retryable answers while Kafka was down (${formatAnswers(answersDuring)})`,
      Object.entries(answersDuring).some(([k, v]) => k !== '200' && v > 0),
    );
    check(
      `no answer told a client to drop its data (${nonRetryable.join(' ') || 'none'})`,
      nonRetryable.length === 0,
    );
    check(`no request given up by the client (${report.gaveUp.length} items)`, report.gaveUp.length === 0);
    check(
      `graceful shutdown (${JSON.stringify(codes)})`,
      Object.values(codes).every((c) => c === 0),
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    return {
      acked: report.acked,
      inFlight: union(await windows.ids(), report.retried),
      clientGaveUp: report.gaveUp.length,
    };
  },
);
