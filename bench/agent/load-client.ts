// The load: a child process, so the agent's CPU (process.cpuUsage() in the parent) holds no
// client work. It pre-generates a pool of OTLP/HTTP protobuf trace requests, then on each `run`
// message sends them round-robin with `concurrency` concurrent keep-alive connections (undici Pool)
// until the time or the request budget is spent, and answers with what was accepted.
import { Pool } from 'undici';
import { createLoadGenerator } from '@otlp-kafka/testkit';

export interface ClientConfig {
  readonly spansPerRequest: number;
  readonly poolSize: number;
  readonly attributeBytes: number;
  readonly resources: number;
}

export interface RunRequest {
  readonly type: 'run';
  readonly url: string;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly maxRequests: number;
}

export interface RunResult {
  readonly okRequests: number;
  readonly okSpans: number;
  readonly okBytes: number;
  /** Non-200 answers by status ('error' for transport failures); their spans are not counted. */
  readonly refused: Record<string, number>;
  readonly elapsedMs: number;
  readonly latencyMs: { p50: number; p99: number; max: number };
}

export type ChildMessage =
  | { type: 'ready'; poolBytes: number }
  | { type: 'done'; result: RunResult }
  | { type: 'failed'; error: string };

const send = (m: ChildMessage): void => {
  process.send?.(m);
};

function prepare(config: ClientConfig): { bodies: Buffer[]; spans: number[] } {
  const gen = createLoadGenerator({
    itemsPerRequest: config.spansPerRequest,
    attributeBytes: config.attributeBytes,
    resources: config.resources,
    trackIds: false,
  });
  const bodies: Buffer[] = [];
  const spans: number[] = [];
  for (let i = 0; i < config.poolSize; i++) {
    const batch = gen.next('traces');
    bodies.push(Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength));
    spans.push(batch.itemCount);
  }
  return { bodies, spans };
}

async function run(req: RunRequest, bodies: readonly Buffer[], spans: readonly number[]): Promise<RunResult> {
  const url = new URL(req.url);
  const pool = new Pool(url.origin, {
    connections: req.concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  let next = 0;
  let okRequests = 0;
  let okSpans = 0;
  let okBytes = 0;
  const t0 = performance.now();
  const deadline = t0 + req.durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && next < req.maxRequests) {
      const i = next++ % bodies.length;
      const start = performance.now();
      try {
        const res = await pool.request({
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: bodies[i],
        });
        await res.body.dump();
        latencies.push(performance.now() - start);
        if (res.statusCode === 200) {
          okRequests++;
          okSpans += spans[i]!;
          okBytes += bodies[i]!.length;
        } else {
          refused[res.statusCode] = (refused[res.statusCode] ?? 0) + 1;
        }
      } catch {
        refused.error = (refused.error ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: req.concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    okRequests,
    okSpans,
    okBytes,
    refused,
    elapsedMs,
    latencyMs: { p50: q(0.5), p99: q(0.99), max: q(1) },
  };
}

const config = JSON.parse(process.env.BENCH_CLIENT_CONFIG ?? '{}') as ClientConfig;
const { bodies, spans } = prepare(config);
process.on('message', (m: RunRequest) => {
  if (m.type !== 'run') return;
  run(m, bodies, spans).then(
    (result) => send({ type: 'done', result }),
    (err: unknown) => send({ type: 'failed', error: String(err) }),
  );
});
// The parent ends this process by disconnecting the IPC channel.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', poolBytes: bodies.reduce((a, b) => a + b.length, 0) });
