/**
 * Issue 17, item 2: the real agent (the otlp-kafka CLI on examples/agent.yaml,
 * Kafka at KAFKA_BROKERS, default the project's 127.0.0.1:39092) receives
 * OTLP/HTTP protobuf requests whose one resource holds 1,000,000 attributes
 * `{a: ""}` (9 MB), while a valid client keeps sending. Records the agent's
 * RSS (sampled every 50 ms) and the valid client's answers; passes when RSS
 * stays under limit_mib and the valid client is served throughout.
 *
 *   node --conditions=@otlp-kafka/source --import tsx e2e/hostile/resource-attributes.ts \
 *     [--signal traces|metrics|logs] [--transport http|grpc] [--counts 1000000,2300000] [--bombs 3] [--cli path/to/dist/bin.js]
 *
 * Prints one JSON line with the measurements; exit code 1 when a check fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { outcomeKind, refusalOf } from '@otlp-kafka/core';
import { createOtlpExporter } from '@otlp-kafka/otlp-exporter';
import { trustedBatch } from '@otlp-kafka/pdata';
import { resourceAttributeBomb, validRequest, type HostileSignal } from './requests.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AGENT_YAML = join(ROOT, 'examples/agent.yaml');
/** examples/agent.yaml's memory_limiter limit_mib. */
const LIMIT_MIB = 512;
const PATHS: Record<HostileSignal, string> = {
  traces: '/v1/traces',
  metrics: '/v1/metrics',
  logs: '/v1/logs',
};

export interface BombOptions {
  signal: HostileSignal;
  /** How the hostile requests arrive (the valid client always uses OTLP/HTTP). */
  transport: 'http' | 'grpc';
  /** Resource attributes per hostile request: each size in turn, `bombs` requests of each. */
  counts: readonly number[];
  /** Hostile requests of each size, one after the other. */
  bombs: number;
  /** The otlp-kafka bin to run (another build, to compare). */
  cli: string;
  brokers: string;
  /** Seconds of valid traffic after the last hostile request. */
  settleS: number;
}

export interface BombReport {
  signal: HostileSignal;
  transport: 'http' | 'grpc';
  bombs: { attributes: number; requestMB: number; status: number; ms: number; answer: string }[];
  rssBaselineMib: number;
  rssMaxMib: number;
  rssEndMib: number;
  limitMib: number;
  valid: {
    requests: number;
    /** Answers other than 200 (each is retried until 200). */
    refusals: number;
    /** From a request's first attempt to its 200, in ms. */
    p50Ms: number;
    maxMs: number;
    /** Requests never answered 200. */
    unserved: number;
  };
  checks: Record<string, boolean>;
}

export async function runResourceAttributeBomb(o: BombOptions): Promise<BombReport> {
  const [httpPort, grpcPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    KAFKA_BROKERS: o.brokers,
    NODE_NAME: 'hostile-e2e',
    AGENT_HTTP_ENDPOINT: `127.0.0.1:${httpPort}`,
    AGENT_GRPC_ENDPOINT: `127.0.0.1:${grpcPort}`,
    AGENT_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
  };
  await run(o.cli, ['topics', '--config', AGENT_YAML], env);
  const agent = await startAgent(o.cli, env);
  const url = `http://127.0.0.1:${httpPort}${PATHS[o.signal]}`;
  const send =
    o.transport === 'grpc'
      ? grpcSender(o.signal, `127.0.0.1:${grpcPort}`)
      : { send: (body: Uint8Array) => postText(url, body, 120_000), close: async () => {} };
  try {
    const rss = sampleRss(agent.pid!);
    await sleep(2000);
    const rssBaselineMib = rss.current();
    const client = validClient(url, o.signal);
    await sleep(2000);
    const bombs: BombReport['bombs'] = [];
    let largest = 0;
    for (const count of o.counts) {
      const bomb = resourceAttributeBomb(o.signal, count);
      largest = Math.max(largest, bomb.length);
      for (let i = 0; i < o.bombs; i++) {
        const t0 = performance.now();
        const { status, text } = await send.send(bomb);
        bombs.push({
          attributes: count,
          requestMB: round(bomb.length / 1e6),
          status,
          ms: Math.round(performance.now() - t0),
          answer: text.slice(0, 200),
        });
      }
    }
    await sleep(o.settleS * 1000);
    const valid = await client.stop();
    const rssEndMib = rss.current();
    rss.stop();
    const report: BombReport = {
      signal: o.signal,
      transport: o.transport,
      bombs,
      rssBaselineMib: round(rssBaselineMib),
      rssMaxMib: round(rss.max()),
      rssEndMib: round(rssEndMib),
      limitMib: LIMIT_MIB,
      valid,
      checks: {},
    };
    report.checks = {
      'RSS stays under limit_mib': report.rssMaxMib < LIMIT_MIB,
      // Proportional: what a hostile request adds is a small factor of its own size (before the fix: 43x).
      'RSS grows at most 12x the largest request':
        report.rssMaxMib - rssBaselineMib <= (12 * largest) / 2 ** 20,
      'every valid request served': valid.unserved === 0,
      'a valid request waits at most 5 s': valid.maxMs <= 5000,
      // 400 / 413: a request too large for Kafka's max_message_bytes may be refused for good.
      'hostile requests answered': bombs.every((b) => [200, 400, 413, 429, 503].includes(b.status)),
      // Its one item cannot be produced: never 200 (with partial_success), whether the
      // batcher sent it alone or merged with the valid client's requests.
      'a request larger than max_message_bytes is never answered 200': bombs.every(
        (b) => b.requestMB * 1e6 <= MAX_MESSAGE_BYTES || b.status !== 200,
      ),
    };
    return report;
  } finally {
    await send.close();
    await agent.stop();
  }
}

/**
 * OTLP/gRPC through the project's exporter, retries and queue off, so each
 * call is one Export; its outcome as the HTTP status the same refusal has.
 */
function grpcSender(signal: HostileSignal, endpoint: string) {
  const exporter = createOtlpExporter({
    protocol: 'grpc',
    endpoint,
    tls: { insecure: true },
    compression: 'none',
    timeoutMs: 120_000,
    retryOnFailure: { enabled: false },
    sendingQueue: { enabled: false },
  });
  const started = exporter.start();
  const STATUS = { ok: 200, partial: 200, backpressure: 429, retryable: 503, permanent: 400 } as const;
  return {
    async send(body: Uint8Array): Promise<{ status: number; text: string }> {
      await started;
      const outcome = await exporter.consume(trustedBatch(signal, body, 1));
      return { status: STATUS[outcomeKind(outcome)], text: refusalOf(outcome)?.message ?? '' };
    },
    close: () => exporter.shutdown(),
  };
}

/** Sends one valid request at a time, each retried every 100 ms until 200, as an SDK would with 429. */
function validClient(url: string, signal: HostileSignal) {
  let stopped = false;
  const latencies: number[] = [];
  let requests = 0;
  let refusals = 0;
  let unserved = 0;
  const loop = (async () => {
    for (let i = 1; !stopped; i++) {
      requests++;
      const t0 = performance.now();
      const body = validRequest(signal, i);
      let served = false;
      while (!served && performance.now() - t0 < 60_000) {
        const status = await post(url, body, 10_000);
        if (status === 200) served = true;
        else {
          refusals++;
          await sleep(100);
        }
      }
      if (served) latencies.push(performance.now() - t0);
      else unserved++;
      await sleep(50);
    }
  })();
  return {
    async stop(): Promise<BombReport['valid']> {
      stopped = true;
      await loop;
      const sorted = latencies.slice().sort((a, b) => a - b);
      return {
        requests,
        refusals,
        p50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
        maxMs: Math.round(sorted.at(-1) ?? 0),
        unserved,
      };
    },
  };
}

/** The HTTP status, or 0 when the request failed (connection refused, timeout). */
async function post(url: string, body: Uint8Array, timeoutMs: number): Promise<number> {
  return (await postText(url, body, timeoutMs)).status;
}

async function postText(
  url: string,
  body: Uint8Array,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Protobuf answers: keep the printable part (a refusal's message).
    const text = Buffer.from(await res.arrayBuffer())
      .toString('latin1')
      .replace(/[^\x20-\x7e]+/g, ' ')
      .trim();
    return { status: res.status, text };
  } catch (e) {
    return { status: 0, text: e instanceof Error ? e.message : String(e) };
  }
}

function sampleRss(pid: number) {
  let max = 0;
  let last = 0;
  const read = (): number => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) last = Number(m[1]) / 1024;
    } catch {
      // The process is gone: keep the last reading.
    }
    max = Math.max(max, last);
    return last;
  };
  read();
  const timer = setInterval(read, 50);
  return { max: () => max, current: read, stop: () => clearInterval(timer) };
}

async function startAgent(cli: string, env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, [cli, '--config', AGENT_YAML], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent not ready after 60 s:\n${log}`)), 60_000);
    const onData = (b: Buffer): void => {
      log = (log + b.toString('utf8')).slice(-20_000);
      if (log.includes('everything is ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`agent exited before it was ready:\n${log}`)));
  });
  return {
    pid: child.pid,
    log: () => log,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    },
  };
}

function run(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`otlp-kafka ${args.join(' ')}: exit ${code}\n${out}`)),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** examples/agent.yaml's Kafka exporters' max_message_bytes. */
const MAX_MESSAGE_BYTES = 10_000_000;

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      signal: { type: 'string', default: 'traces' },
      transport: { type: 'string', default: 'http' },
      counts: { type: 'string', default: '1000000,2300000' },
      bombs: { type: 'string', default: '3' },
      settle: { type: 'string', default: '5' },
      cli: { type: 'string', default: join(ROOT, 'packages/cli/dist/bin.js') },
    },
  });
  const report = await runResourceAttributeBomb({
    signal: values.signal as HostileSignal,
    transport: values.transport === 'grpc' ? 'grpc' : 'http',
    counts: values.counts.split(',').map(Number),
    bombs: Number(values.bombs),
    settleS: Number(values.settle),
    cli: values.cli,
    brokers: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:39092',
  });
  console.log(JSON.stringify(report));
  process.exitCode = Object.values(report.checks).every(Boolean) ? 0 : 1;
}
