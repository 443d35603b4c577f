// 3. Two gateways in one consumer group, one SIGKILLed: after the session
// timeout the survivor owns every partition and delivers everything. Then the
// group grows from one gateway to three under load (cooperative rebalancing).
import type { Names } from './lib/configs.js';
import { SIGNALS } from './lib/configs.js';
import { pick, sleep, waitFor } from './lib/env.js';
import { faultWindows } from './lib/inflight.js';
import { describeGroup } from './lib/kafka-admin.js';
import { drain, formatAnswers, union } from './lib/ledger.js';
import { scenario } from './lib/scenario.js';
import { lostNothing, startAtDefaults } from './lib/sdk-defaults.js';

/** Members of each signal's group that own partitions, and how many partitions in all. */
async function ownership(brokers: string, names: Names): Promise<{ owners: number; partitions: number }[]> {
  return Promise.all(
    SIGNALS.map(async (s) => {
      const g = await describeGroup(brokers, names.groups[s]);
      return {
        owners: g.members.filter((m) => m.partitions.length > 0).length,
        partitions: g.members.reduce((n, m) => n + m.partitions.length, 0),
      };
    }),
  );
}

const PARTITIONS = 6;

scenario(
  {
    id: '03',
    name: 'rebalance: gateway killed, then 1 -> 3 gateways',
    fast: true,
    stack: { partitions: PARTITIONS, backendLatencyMs: 100 },
  },
  async ({ stack, load, log, check, note }) => {
    await stack.startGateway('gateway-a');
    await stack.startGateway('gateway-b');
    await stack.startAgent();
    const groupsSplit = await waitFor(
      async () => (await ownership(stack.brokers, stack.names)).every((o) => o.owners === 2),
      60_000,
      1000,
    );
    check('two gateways share every group', groupsSplit);
    const windows = faultWindows(stack.brokers, stack.names);
    const traffic = load({ target: () => stack.agentUrl(), requestsPerSecond: 15, seed: 3003 });
    const sdk = await startAtDefaults(stack.agentUrl(), '03');
    await sleep(pick(12_000, 8_000));

    // One member crashes: no leave-group, its partitions move after session.timeout.
    await windows.open();
    await stack.proc('gateway-b').kill();
    const killedAt = Date.now();
    log('gateway-b SIGKILLed');
    // What gateway-b can have dispatched ends at the partitions' ends now.
    await windows.close();
    const tookOver = await waitFor(
      async () =>
        (await ownership(stack.brokers, stack.names)).every(
          (o) => o.owners === 1 && o.partitions === PARTITIONS,
        ),
      90_000,
      1000,
    );
    check(
      `gateway-a owns all ${PARTITIONS} partitions of each group after the crash (${Math.round((Date.now() - killedAt) / 1000)} s)`,
      tookOver,
    );
    // Everything acknowledged so far must arrive through gateway-a alone.
    const checkpoint = [...traffic.acked];
    const missing1 = await drain(stack.backend, checkpoint, 120_000);
    check(
      `gateway-a alone delivered the ${checkpoint.length} items acknowledged before the takeover`,
      missing1.length === 0,
    );

    // Scale out under load: 1 -> 3 members.
    await windows.open();
    await Promise.all([stack.startGateway('gateway-c'), stack.startGateway('gateway-d')]);
    log('gateway-c and gateway-d started');
    const spread = await waitFor(
      async () =>
        (await ownership(stack.brokers, stack.names)).every(
          (o) => o.owners === 3 && o.partitions === PARTITIONS,
        ),
      90_000,
      1000,
    );
    check('three gateways own partitions of every group after scaling out', spread);
    await sleep(pick(15_000, 8_000));
    await windows.close();

    const report = await traffic.stop();
    const stock = await sdk.finish();
    const acked = union(report.acked, stock.acked);
    const missing = await drain(stack.backend, acked, 180_000);
    log(`drained (${missing.length} missing)`);
    const codes = await stack.stopAll();
    // Rebalances are behind Kafka: the agent answers as always, so a stock SDK loses nothing.
    check(`the SDK at its defaults lost nothing (${stock.summary})`, lostNothing(stock));
    check(
      `graceful shutdown of the survivors (${JSON.stringify(codes)})`,
      ['gateway-a', 'gateway-c', 'gateway-d', 'agent'].every((n) => codes[n] === 0),
    );
    note(`client answers: ${formatAnswers(report.answers)}`);
    return {
      acked,
      inFlight: union(await windows.ids(), report.retried, stock.inFlight),
      clientGaveUp: report.gaveUp.length + stock.report.failed.length,
    };
  },
);
