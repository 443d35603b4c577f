// bench/go-collector: our agent and gateway against the Go OpenTelemetry Collector (otelcol
// v0.165.0 + contrib kafka v0.165.1, built by build.sh) on the same machine, the same Kafka and
// the same load. The figure of merit is CPU-seconds per million spans of the subject's process,
// read from /proc/<pid>/stat for both; every span is checked to have arrived.
//
//   node --conditions=@otlp-kafka/source --import tsx bench/go-collector/run.ts
//   npm run bench -- go-collector
//   BENCH_DIRECTIONS=latency node ... bench/go-collector/run.ts   (the seed's agent pipeline, SDK-like serial clients)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { machineNote } from '../agent/report.js';
import { agentDirection } from './agent-direction.js';
import { BINARY, HERE } from './collector.js';
import { CONFIG } from './config.js';
import { gatewayDirection } from './gateway-direction.js';
import { latencyMode } from './latency.js';

async function main(): Promise<void> {
  console.log(
    'go-collector bench: our components vs the Go OpenTelemetry Collector, CPU from /proc/<pid>/stat',
  );
  console.log(`config: ${JSON.stringify(CONFIG)}`);
  console.log(`machine: ${machineNote()}`);
  if (!existsSync(BINARY)) {
    console.log(`${BINARY} is missing: building it (slow the first time)`);
    execFileSync('bash', [join(HERE, 'build.sh')], { stdio: 'inherit' });
  }
  console.log(`collector: ${execFileSync(BINARY, ['--version'], { encoding: 'utf8' }).trim()}`);
  if (CONFIG.directions.includes('agent')) await agentDirection(CONFIG);
  if (CONFIG.directions.includes('gateway')) await gatewayDirection(CONFIG);
  if (CONFIG.directions.includes('latency')) await latencyMode(CONFIG);
  console.log(`\nmachine after: ${machineNote()}`);
}

main().catch((err: unknown) => {
  console.error(err);
  console.error(
    `(is Kafka running? \`npm run kafka -- start\`, or set KAFKA_BROKERS; using ${CONFIG.brokers})`,
  );
  process.exitCode = 1;
});
