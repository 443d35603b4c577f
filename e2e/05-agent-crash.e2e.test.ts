// 5. An agent SIGKILLed under load and started again: everything it acknowledged
// is in Kafka (and reaches the backend); what it had not acknowledged was retried
// by the clients — our SDK-like load client and the real OpenTelemetry SDK exporter.
import { SIGNALS } from './lib/configs.js';
import { pick, sleep, waitFor } from './lib/env.js';
import { readTopic, recordIds } from './lib/kafka-admin.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { scenario } from './lib/scenario.js';
import { startSdkClient } from './lib/sdk-client.js';
import { startAtDefaults } from './lib/sdk-defaults.js';

scenario(
  { id: '05', name: 'agent SIGKILLed, clients retry', fast: true },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 15, seed: 5005 });
    const sdk = startSdkClient({ url: stack.agentUrl(), spansPerSecond: 40 });
    const stockSdk = await startAtDefaults(stack.agentUrl(), '05');
    await sleep(pick(12_000, 8_000));

    const crashes = pick(2, 1);
    const ackedAtKill = new Set<string>();
    const unackedAtKill = new Set<string>();
    const sdkInFlightAtKill = new Set<string>();
    for (let i = 1; i <= crashes; i++) {
      // The agent answers in milliseconds (group commit): kill it while requests await an answer,
      // so the crash tests the client's retry rather than landing between requests.
      if (!(await waitFor(() => traffic.inFlight > 0, 10_000, 2)))
        throw new Error('no request in flight to crash the agent under');
      const pending = traffic.inFlightIds();
      for (const id of traffic.acked) ackedAtKill.add(id);
      for (const id of sdk.acked) ackedAtKill.add(id);
      for (const id of sdk.inFlightIds()) sdkInFlightAtKill.add(id);
      for (const id of stockSdk.client.acked) ackedAtKill.add(id);
      stockSdk.markInFlight();
      await stack.proc('agent').kill();
      for (const id of pending) if (!traffic.acked.has(id)) unackedAtKill.add(id);
      log(`agent SIGKILLed with ${pending.length} items in requests awaiting an answer`);
      const t = Date.now();
      await stack.startAgent();
      log(`agent restarted in ${Date.now() - t} ms`);
      await sleep(pick(12_000, 8_000));
    }

    const report = await traffic.stop();
    await sdk.stop();
    const stock = await stockSdk.finish();
    const acked = union(report.acked, sdk.acked, stock.acked);
    const missing = await drain(stack.backend, acked, 180_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();

    // What the agent acknowledged is in Kafka, read back from the topics themselves.
    const inKafka = new Set<string>();
    for (const s of SIGNALS)
      for (const r of await readTopic(stack.brokers, stack.names.topics[s]))
        for (const id of recordIds(s, r.value) ?? []) inKafka.add(id);
    const notInKafka = [...ackedAtKill].filter((id) => !inKafka.has(id));
    check(
      `all ${ackedAtKill.size} items acknowledged before the crashes are in Kafka`,
      notInKafka.length === 0,
    );
    const notRetried = [...unackedAtKill].filter((id) => !report.retried.has(id) || !report.acked.has(id));
    check(
      `the ${unackedAtKill.size} items unanswered at a crash were retried by the client and then acknowledged`,
      unackedAtKill.size > 0 && notRetried.length === 0,
    );
    check(
      `the OpenTelemetry SDK exporter got every span acknowledged (${sdk.acked.size} of ${sdk.created}, ${sdk.failed.length} failed)`,
      sdk.failed.length === 0 && sdk.acked.size === sdk.created,
    );
    // While the agent is down a stock SDK may drop or give up (no retry of a failed export): noted, not
    // checked; what it was told was acknowledged must arrive (the frame checks acked).
    note(stock.summary);
    check(
      `graceful shutdown at the end (${JSON.stringify(codes)})`,
      Object.values(codes).every((c) => c === 0),
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    note(`SDK spans in an export at a crash: ${sdkInFlightAtKill.size}`);
    // Only requests re-sent by a client can repeat (the agent may have written them before it died).
    return {
      acked,
      inFlight: union(report.retried, sdkInFlightAtKill, stock.inFlight),
      clientGaveUp: report.gaveUp.length + sdk.failed.length + stock.report.failed.length,
    };
  },
);
