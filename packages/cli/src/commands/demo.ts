import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DemoOptions } from '../demo/run-demo.js';
import { EXIT, type CliIo } from '../internal/io.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** `otlp-kafka demo`: the seed's agent and gateway configs end to end, with a backend outage, counted by id. */
export async function demoCommand(
  flags: { durationS?: number; outageS?: number; rate?: number },
  io: CliIo,
): Promise<number> {
  const workDir = `${ROOT}.cache/demo`;
  mkdirSync(workDir, { recursive: true });
  const options: DemoOptions = {
    agentConfig: `${ROOT}examples/agent.yaml`,
    gatewayConfig: `${ROOT}examples/gateway.yaml`,
    workDir,
    loadSeconds: flags.durationS ?? 30,
    outageSeconds: flags.outageS ?? 10,
    requestsPerSecond: flags.rate ?? 20,
  };
  // Loaded here, not at the top: the demo's harness (testkit) imports the native Kafka
  // client, and the other commands (validate above all) must run without it.
  const { runDemo } = await import('../demo/run-demo.js');
  const summary = await runDemo(options, io);
  return summary.lost === 0 && summary.sent > 0 ? EXIT.ok : EXIT.failure;
}
