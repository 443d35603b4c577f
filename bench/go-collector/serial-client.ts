// Load for the latency mode, in its own process: `clients` serial exporters that behave like an
// OpenTelemetry SDK's BatchSpanProcessor at its defaults. Each has an application producing spans
// at rate / clients into a queue of 2048 (spans arriving at a full queue are dropped, as the SDK
// drops them); whenever no export is in flight and 512 spans are queued, it exports those 512 as
// one OTLP/HTTP protobuf request and waits for the answer (one request in flight per client, 10 s
// timeout like the SDK's exporter). Request bodies are pre-generated (createLoadGenerator), so the
// span count of a request is always 512.
import { Client } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLoadGenerator } from '@otlp-kafka/testkit';

export interface SerialClientConfig {
  readonly spansPerRequest: number;
  readonly poolSize: number;
  readonly attributeBytes: number;
}

export interface SerialRun {
  readonly type: 'run';
  readonly url: string;
  /** Spans per second the applications produce, all clients together. */
  readonly rate: number;
  readonly clients: number;
  readonly durationMs: number;
}

export interface SerialResult {
  /** Spans the applications produced during the run. */
  readonly offered: number;
  /** Spans dropped at a full SDK queue (2048) because exports did not keep up. */
  readonly droppedInSdk: number;
  /** Spans still queued at the end (never sent). */
  readonly leftInQueue: number;
  readonly sentSpans: number;
  readonly okSpans: number;
  readonly okRequests: number;
  /** Non-200 answers by status, 'error' for timeouts and transport failures. */
  readonly failed: Record<string, number>;
  /** The run's length: spans are offered, and requests sent, only within it. */
  readonly durationMs: number;
  /** From the start of the run to its end or the last answer, whichever is later. */
  readonly elapsedMs: number;
  /** Send to 200, successful requests only. */
  readonly latencyMs: { p50: number; p99: number; max: number };
}

export type SerialMessage =
  { type: 'ready' } | { type: 'done'; result: SerialResult } | { type: 'failed'; error: string };

const QUEUE_MAX = 2048;
const TIMEOUT_MS = 10_000;

const send = (m: SerialMessage): void => {
  process.send?.(m);
};

function prepare(config: SerialClientConfig): Buffer[] {
  const gen = createLoadGenerator({
    itemsPerRequest: config.spansPerRequest,
    attributeBytes: config.attributeBytes,
    resources: 8,
    trackIds: false,
  });
  return Array.from({ length: config.poolSize }, () => {
    const b = gen.next('traces');
    if (b.itemCount !== config.spansPerRequest)
      throw new Error(`generated ${b.itemCount} spans, wanted ${config.spansPerRequest}`);
    return Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
  });
}

async function run(req: SerialRun, bodies: readonly Buffer[], batch: number): Promise<SerialResult> {
  const url = new URL(req.url);
  const perClientRate = req.rate / req.clients; // spans per second
  const latencies: number[] = [];
  const failed: Record<string, number> = {};
  let offered = 0,
    dropped = 0,
    left = 0,
    sentSpans = 0,
    okSpans = 0,
    okRequests = 0,
    next = 0;
  let lastAnswer = 0;
  const t0 = performance.now();
  const end = t0 + req.durationMs;
  const exporter = async (i: number): Promise<void> => {
    const client = new Client(url.origin, {
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      keepAliveTimeout: 30_000,
    });
    // Clients start out of phase, so they do not all export in the same instant.
    let queued = (batch * i) / req.clients;
    let filledTo = t0;
    const fill = (now: number): void => {
      const until = Math.min(now, end);
      const arrived = (perClientRate * (until - filledTo)) / 1000;
      filledTo = until;
      offered += arrived;
      const kept = Math.min(arrived, QUEUE_MAX - queued);
      queued += kept;
      dropped += arrived - kept;
    };
    try {
      for (;;) {
        const now = performance.now();
        fill(now);
        if (now >= end) break;
        if (queued < batch) {
          await sleep(Math.max(1, ((batch - queued) / perClientRate) * 1000));
          continue;
        }
        queued -= batch;
        sentSpans += batch;
        const body = bodies[next++ % bodies.length]!;
        const start = performance.now();
        try {
          const res = await client.request({
            path: url.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/x-protobuf' },
            body,
          });
          await res.body.dump();
          if (res.statusCode === 200) {
            latencies.push(performance.now() - start);
            okRequests++;
            okSpans += batch;
          } else failed[res.statusCode] = (failed[res.statusCode] ?? 0) + 1;
        } catch {
          failed.error = (failed.error ?? 0) + 1;
        }
        lastAnswer = performance.now();
      }
    } finally {
      left += queued;
      await client.close();
    }
  };
  await Promise.all(Array.from({ length: req.clients }, (_, i) => exporter(i)));
  latencies.sort((a, b) => a - b);
  const q = (p: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    offered: Math.round(offered),
    droppedInSdk: Math.round(dropped),
    leftInQueue: Math.round(left),
    sentSpans,
    okSpans,
    okRequests,
    failed,
    durationMs: req.durationMs,
    elapsedMs: Math.max(lastAnswer, end) - t0,
    latencyMs: { p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? 0 },
  };
}

const config = JSON.parse(process.env.BENCH_CLIENT_CONFIG ?? '{}') as SerialClientConfig;
const bodies = prepare(config);
process.on('message', (m: SerialRun) => {
  if (m.type !== 'run') return;
  run(m, bodies, config.spansPerRequest).then(
    (result) => send({ type: 'done', result }),
    (err: unknown) => send({ type: 'failed', error: String(err) }),
  );
});
// The parent ends this process by disconnecting the IPC channel.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
