// 4. One Kafka broker SIGKILLed under load and restarted: with replication 3,
// min.insync.replicas 2 and acks=all the two others keep accepting writes, the
// group coordinator moves if it was there, and nothing acknowledged is lost.
import { pick, sleep } from './lib/env.js';
import { faultWindows } from './lib/inflight.js';
import { describeGroup } from './lib/kafka-admin.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { scenario } from './lib/scenario.js';
import { startAtDefaults } from './lib/sdk-defaults.js';

scenario(
  { id: '04', name: 'Kafka broker SIGKILLed under load, restarted', fast: true },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway();
    await stack.startAgent();
    const windows = faultWindows(stack.brokers, stack.names);
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 15, seed: 4004 });
    const sdk = await startAtDefaults(stack.agentUrl(), '04');
    await sleep(pick(12_000, 8_000));

    // The coordinator of the traces group: its crash moves the group too.
    const victim = (await describeGroup(stack.brokers, stack.names.groups.traces)).coordinator;
    const node = victim >= 0 ? victim : 1;
    await windows.open();
    const ackedBefore = traffic.acked.size;
    await stack.cluster.kill(node);
    log(`broker ${node} (coordinator of the traces group) SIGKILLed`);
    await sleep(pick(30_000, 15_000));
    const ackedWhileDown = traffic.acked.size - ackedBefore;
    check(
      `the agent kept acknowledging with two of three brokers (${ackedWhileDown} items)`,
      ackedWhileDown > 0,
    );
    const t = Date.now();
    await stack.cluster.restart(node);
    log(`broker ${node} restarted in ${Date.now() - t} ms`);
    await sleep(pick(15_000, 8_000));
    await windows.close();

    const report = await traffic.stop();
    const stock = await sdk.finish();
    const acked = union(report.acked, stock.acked);
    const missing = await drain(stack.backend, acked, 180_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();
    check(`no request given up by the client (${report.gaveUp.length} items)`, report.gaveUp.length === 0);
    // Writes to the partitions the dead broker led wait for a new leader (seconds: the broker's session
    // timeout), so the agent's answers wait too and a stock SDK's 2048-span queue may overflow: noted,
    // not checked. What it was told was acknowledged must arrive (the frame checks acked).
    note(stock.summary);
    check(
      `graceful shutdown (${JSON.stringify(codes)})`,
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
