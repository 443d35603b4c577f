// Issue 17 item 2 (memory proportional to the request), in the e2e suite: the pdata
// operations on the hostile request in this process, then the real agent on
// examples/agent.yaml against the suite's Kafka, for each signal over OTLP/HTTP and
// for traces over gRPC, with a valid client sending throughout. By hand, against the
// project's Kafka:
//   node --conditions=@otlp-kafka/source --import tsx e2e/hostile/resource-attributes.ts
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { measureResourceOps } from './measure-resource-attrs.js';
import { runResourceAttributeBomb, type BombOptions } from './resource-attributes.js';
import type { HostileSignal } from './requests.js';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const SIGNALS: HostileSignal[] = ['traces', 'metrics', 'logs'];

async function expectHeld(o: Pick<BombOptions, 'signal' | 'transport' | 'counts' | 'bombs'>): Promise<void> {
  const report = await runResourceAttributeBomb({
    ...o,
    settleS: 3,
    cli: CLI,
    brokers: inject('kafkaBrokers'),
  });
  console.error(`[hostile] ${JSON.stringify(report)}`);
  expect(report.checks).toEqual(Object.fromEntries(Object.keys(report.checks).map((k) => [k, true])));
}

describe('hostile: 1M resource attributes', () => {
  it('pdata: every operation grows heap + buffers by at most 6x the request (was 40x)', () => {
    const { ops } = measureResourceOps('traces', 1_000_000);
    console.error(`[hostile] pdata ${JSON.stringify(ops)}`);
    for (const o of ops) expect(o.factor, o.op).toBeLessThanOrEqual(6);
  });

  for (const signal of SIGNALS)
    it(`agent, ${signal} over HTTP: RSS under limit_mib, a valid client served throughout`, () =>
      expectHeld({ signal, transport: 'http', counts: [1_000_000, 2_300_000], bombs: 2 }));

  // The agent's gRPC server takes messages up to 4 MiB: 460k attributes.
  it('agent, traces over gRPC at 4 MiB: RSS under limit_mib, a valid client served throughout', () =>
    expectHeld({ signal: 'traces', transport: 'grpc', counts: [460_000], bombs: 3 }));
});
