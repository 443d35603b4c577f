import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { demoCommand } from './commands/demo.js';
import { lagCommand } from './commands/lag.js';
import { runCommand } from './commands/run.js';
import { topicsCommand } from './commands/topics.js';
import { validateCommand } from './commands/validate.js';
import { EXIT, processIo, type CliIo } from './internal/io.js';
import type { Registry } from '@otlp-kafka/config';

const HELP = `otlp-kafka — OpenTelemetry pipelines with Kafka between collector tiers

Usage:
  otlp-kafka --config agent.yaml [--config more.yaml]   run a Collector-style config until SIGTERM/SIGINT
             [--shutdown-timeout-s N]                   the whole shutdown's deadline (default 25)
  otlp-kafka validate --config file.yaml                check a config without starting it
  otlp-kafka topics --config file.yaml [--partitions N] [--replication-factor N]
                    [--retention-ms N] [--retention-bytes N] [--dry-run]
                                                        create the config's Kafka topics (seed settings by default)
  otlp-kafka lag --brokers host:port[,..] --group G [--topic T] [--json]
  otlp-kafka lag --config gateway.yaml [--group G] [--topic T] [--json]
                                                        per-partition lag of a consumer group (from a config:
                                                        each kafka receiver's group, through its TLS/SASL)
  otlp-kafka demo [--duration-s N] [--outage-s N] [--rate N]
                                                        agent -> Kafka -> gateway -> backend, with a backend outage
  otlp-kafka --version | --help

Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 130 forced exit.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the command line; `registry` adds components written in code (default: the built-in ones). */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  registry?: Registry,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', multiple: true, short: 'c' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        brokers: { type: 'string' },
        group: { type: 'string', multiple: true },
        topic: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        partitions: { type: 'string' },
        'replication-factor': { type: 'string' },
        'retention-ms': { type: 'string' },
        'retention-bytes': { type: 'string' },
        'dry-run': { type: 'boolean' },
        'duration-s': { type: 'string' },
        'outage-s': { type: 'string' },
        rate: { type: 'string' },
        'shutdown-timeout-s': { type: 'string' },
      },
    });
  } catch (e) {
    io.err(`otlp-kafka: ${(e as Error).message}\n\n${HELP}`);
    return EXIT.config;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (v.version) {
    io.out(version());
    return EXIT.ok;
  }
  const num = (name: string, s: string | undefined): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0)
      throw new Error(`--${name} must be a non-negative number, got ${JSON.stringify(s)}`);
    return n;
  };
  const seconds = (s: number | undefined): number | undefined =>
    s === undefined ? undefined : Math.round(s * 1000);
  const configs = v.config ?? [];
  const command = positionals[0] ?? 'run';
  try {
    switch (command) {
      case 'run':
        return await runCommand(configs, io, registry, {
          shutdownTimeoutMs: seconds(num('shutdown-timeout-s', v['shutdown-timeout-s'])),
        });
      case 'validate':
        return await validateCommand(configs, io, registry);
      case 'topics':
        return await topicsCommand(
          configs,
          {
            partitions: num('partitions', v.partitions),
            replicationFactor: num('replication-factor', v['replication-factor']),
            retentionMs: num('retention-ms', v['retention-ms']),
            retentionBytes: num('retention-bytes', v['retention-bytes']),
            dryRun: v['dry-run'] ?? false,
          },
          io,
          registry,
        );
      case 'lag':
        return await lagCommand(
          {
            brokers: v.brokers,
            groups: v.group ?? [],
            topics: v.topic ?? [],
            json: v.json ?? false,
            configs,
          },
          io,
          registry,
        );
      case 'demo':
        return await demoCommand(
          {
            durationS: num('duration-s', v['duration-s']),
            outageS: num('outage-s', v['outage-s']),
            rate: num('rate', v.rate),
          },
          io,
        );
      default:
        io.err(`otlp-kafka: unknown command "${command}"\n\n${HELP}`);
        return EXIT.config;
    }
  } catch (e) {
    io.err(`otlp-kafka: ${(e as Error).message}`);
    return EXIT.config;
  }
}
