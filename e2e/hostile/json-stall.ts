/**
 * Issue 17, second round: does decompressing and converting a large OTLP/JSON
 * request stall the other clients? An OTLP receiver (loopback, in a child
 * process, every request accepted after validation) gets `--requests` hostile
 * OTLP/JSON requests of one resource with `--attributes` attributes (11.3 MB
 * at 290,000), `--concurrency` at a time, optionally gzip'd, while a valid
 * client sends small protobuf requests one after another. Prints one JSON
 * report: the valid client's latency (p50 / p99 / max, during the hostile
 * requests), the receiver's event-loop delay, the hostile answers.
 *
 *   node --conditions=@otlp-kafka/source --import tsx e2e/hostile/json-stall.ts [--gzip] [--requests 4] [--concurrency 4]
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ok } from '@otlp-kafka/core';
import { protoToJson } from '@otlp-kafka/pdata';
import { createOtlpReceiver } from '@otlp-kafka/otlp-receiver';
import { resourceAttributeBomb, validRequest, type HostileSignal } from './requests.js';

export interface StallReport {
  hostile: { count: number; bytes: number; gzip: boolean; statuses: number[]; msMax: number };
  valid: { sent: number; failed: number; p50Ms: number; p99Ms: number; maxMs: number };
  receiverEventLoopDelayMaxMs: number;
}

async function serve(): Promise<void> {
  const receiver = createOtlpReceiver({
    http: { endpoint: '127.0.0.1:0', maxRequestBodyBytes: 64 * 1024 * 1024 },
    grpc: { endpoint: '127.0.0.1:0' },
  });
  for (const s of ['traces', 'metrics', 'logs'] as const)
    receiver.connect(s, { consume: () => Promise.resolve(ok()) });
  await receiver.start();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  process.on('message', (m: string) => {
    if (m === 'start') {
      delay.reset();
      delay.enable();
    } else if (m === 'stop') {
      delay.disable();
      process.send!({ delayMaxMs: delay.max / 1e6 });
      void receiver.shutdown().then(() => process.exit(0));
    }
  });
  process.send!({ url: receiver.httpUrl });
}

function post(
  agent: Agent | false,
  url: string,
  path: string,
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}${path}`, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export async function measureJsonStall(opts: {
  signal: HostileSignal;
  attributes: number;
  requests: number;
  concurrency: number;
  gzip: boolean;
}): Promise<StallReport> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--conditions=@otlp-kafka/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((r) => child.once('message', (m) => r(m as Record<string, unknown>)));
  const { url } = (await next()) as { url: string };
  const path = `/v1/${opts.signal}`;
  const json = Buffer.from(
    protoToJson(opts.signal, resourceAttributeBomb(opts.signal, opts.attributes)).unwrap(),
  );
  const body = opts.gzip ? gzipSync(json) : json;
  const hostileHeaders = {
    'content-type': 'application/json',
    ...(opts.gzip ? { 'content-encoding': 'gzip' } : {}),
  };
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let failed = 0;
  let hostileDone = false;
  const validLoop = (async () => {
    for (let i = 0; !hostileDone; i++) {
      const t = performance.now();
      const status = await post(agent, url, path, validRequest(opts.signal, i), {
        'content-type': 'application/x-protobuf',
      });
      latencies.push(performance.now() - t);
      if (status !== 200) failed++;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await new Promise((r) => setTimeout(r, 300)); // the valid client's baseline
  child.send('start');
  const statuses: number[] = [];
  let msMax = 0;
  let left = opts.requests;
  const hostileClient = async (): Promise<void> => {
    while (left-- > 0) {
      const t = performance.now();
      statuses.push(await post(false, url, path, body, hostileHeaders));
      msMax = Math.max(msMax, performance.now() - t);
    }
  };
  const since = latencies.length;
  await Promise.all(Array.from({ length: opts.concurrency }, hostileClient));
  hostileDone = true;
  await validLoop;
  child.send('stop');
  const { delayMaxMs } = (await next()) as { delayMaxMs: number };
  agent.destroy();
  const during = latencies.slice(since);
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    hostile: { count: opts.requests, bytes: body.length, gzip: opts.gzip, statuses, msMax: round(msMax) },
    valid: {
      sent: during.length,
      failed,
      p50Ms: round(quantile(during, 0.5)),
      p99Ms: round(quantile(during, 0.99)),
      maxMs: round(Math.max(0, ...during)),
    },
    receiverEventLoopDelayMaxMs: round(delayMaxMs),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      serve: { type: 'boolean', default: false },
      gzip: { type: 'boolean', default: false },
      signal: { type: 'string', default: 'traces' },
      attributes: { type: 'string', default: '290000' },
      requests: { type: 'string', default: '4' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  if (values.serve) await serve();
  else
    console.log(
      JSON.stringify(
        await measureJsonStall({
          signal: values.signal as HostileSignal,
          attributes: Number(values.attributes),
          requests: Number(values.requests),
          concurrency: Number(values.concurrency),
          gzip: values.gzip,
        }),
      ),
    );
}
