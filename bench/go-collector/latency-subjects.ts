// The two subjects of the latency mode, each its own process on the seed's agent pipeline
// (seed-agent.ts): our CLI (packages/cli/src/bin.ts, run from source with this process's
// --conditions/tsx flags, from this checkout or BENCH_OURS_ROOT) and the Go Collector.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CACHE, HERE, canConnect, freePort, startGoCollector, toYaml } from './collector.js';
import type { Config, OursVariant } from './config.js';
import { seedAgentGo, seedAgentOurs } from './seed-agent.js';

export interface Subject {
  readonly pid: number;
  readonly url: string;
  /** Resolves once Kafka has acknowledged `spans` spans of this subject. */
  drained(spans: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startGoSeed(cfg: Config, topic: string): Promise<Subject> {
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  const go = await startGoCollector(
    'latency-go',
    seedAgentGo(cfg.brokers, topic, httpPort, metricsPort),
    metricsPort,
    [httpPort, metricsPort],
  );
  return {
    pid: go.pid,
    url: `http://127.0.0.1:${httpPort}/v1/traces`,
    async drained(spans, timeoutMs) {
      // Its batch processor answers 200 before the data is in Kafka: wait for the exporter's own count.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { sent, failed } = await go.exporterSpans();
        if (failed > 0)
          throw new Error(`the Go Collector failed to send ${failed} spans (log: ${go.logPath})`);
        if (sent >= spans) return;
        if (Date.now() > deadline)
          throw new Error(
            `the Go Collector sent ${sent} of ${spans} spans within ${timeoutMs} ms (log: ${go.logPath})`,
          );
        await sleep(20);
      }
    },
    stop: () => go.stop(),
  };
}

export async function startOursSeed(cfg: Config, variant: OursVariant, topic: string): Promise<Subject> {
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  mkdirSync(CACHE, { recursive: true });
  const configPath = join(CACHE, 'latency-ours.yaml');
  const logPath = join(CACHE, 'latency-ours.log');
  writeFileSync(
    configPath,
    `# written by bench/go-collector (latency mode, ${variant.name})${toYaml(seedAgentOurs(variant, cfg.brokers, topic, httpPort, metricsPort))}\n`,
  );
  const bin = join(cfg.oursRoot ? resolve(cfg.oursRoot) : resolve(HERE, '../..'), 'packages/cli/src/bin.ts');
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, [...process.execArgv, bin, '--config', configPath], {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited: string | undefined;
  const exit = new Promise<void>((done) =>
    child.once('exit', (code, signal) => ((exited = String(code ?? signal)), done())),
  );
  const stop = async (): Promise<void> => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exit;
    clearTimeout(timer);
  };
  try {
    const deadline = Date.now() + 120_000; // module loading through tsx takes seconds on a busy machine
    while (!(await canConnect(httpPort))) {
      if (exited !== undefined)
        throw new Error(
          `our CLI exited (${exited}) at start:\n${readFileSync(logPath, 'utf8').slice(-3000)}`,
        );
      if (Date.now() > deadline)
        throw new Error(`our CLI is not listening on ${httpPort} after 120 s (log: ${logPath})`);
      await sleep(50);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${httpPort}/v1/traces`,
    drained: async () => {}, // a 200 from our agent means Kafka acknowledged the data
    stop,
  };
}
