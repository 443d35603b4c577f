/**
 * Memory-limiter bench: an agent-like pipeline (OTLP/HTTP receiver -> memory
 * limiter -> a slow sink) driven over loopback at several times the rate the
 * sink can take, by concurrent HTTP clients in a child process. It prints the
 * agent's peak RSS against limit_mib and how clients were answered.
 *
 *   node --conditions=@otlp-kafka/source --import tsx bench/memory-limiter/run.ts [--no-limiter]
 *     [--limit-mib 256] [--duration-s 20] [--clients 32] [--sockets 16] [--payload-kib 512]
 *     [--sink-mib-s 16] [--overload 3] [--check-interval-ms 100] [--soft-gc-interval-ms 1000] [--timeline]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPipeline } from '@otlp-kafka/core';
import { createMemoryLimiter } from '@otlp-kafka/memory-limiter';
import { createOtlpReceiver } from '@otlp-kafka/otlp-receiver';
import { jsonToProto } from '@otlp-kafka/pdata';
import type { ClientReport } from './clients.js';
import { createSlowSink } from './slow-sink.js';

const MIB = 1024 * 1024;
const mib = (b: number): string => (b / MIB).toFixed(1);
const { values: args } = parseArgs({
  options: {
    'limit-mib': { type: 'string', default: '256' },
    'duration-s': { type: 'string', default: '20' },
    clients: { type: 'string', default: '32' },
    sockets: { type: 'string', default: '16' },
    'payload-kib': { type: 'string', default: '512' },
    'sink-mib-s': { type: 'string', default: '16' },
    overload: { type: 'string', default: '3' },
    'no-limiter': { type: 'boolean', default: false },
    'check-interval-ms': { type: 'string', default: '100' },
    'soft-gc-interval-ms': { type: 'string', default: '1000' },
    'memory-reading': { type: 'string', default: 'rss' },
    timeline: { type: 'boolean', default: false },
  },
});
const limitMib = Number(args['limit-mib']);
const durationMs = Number(args['duration-s']) * 1000;
const sinkBytesPerSecond = Number(args['sink-mib-s']) * MIB;
const offeredBytesPerSecond = sinkBytesPerSecond * Number(args.overload);
const useLimiter = !args['no-limiter'];

/** One OTLP traces request of about `kib` KiB: spans with a few attributes each. */
function payload(kib: number): Buffer {
  const spans = [];
  const hex = (n: number, bytes: number): string => n.toString(16).padStart(bytes * 2, '0');
  for (let i = 0; spans.length * 160 < kib * 1024; i++) {
    spans.push({
      traceId: hex(i + 1, 16),
      spanId: hex(i + 1, 8),
      name: `GET /api/items/${i}`,
      kind: 2,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000005000000',
      attributes: [
        { key: 'http.route', value: { stringValue: '/api/items/:id' } },
        { key: 'http.status_code', value: { intValue: '200' } },
        { key: 'net.peer.name', value: { stringValue: `10.0.${i % 255}.${i % 7}` } },
      ],
    });
  }
  const json = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bench' } }] },
        scopeSpans: [{ scope: { name: 'bench' }, spans }],
      },
    ],
  });
  return Buffer.from(jsonToProto('traces', json).unwrap());
}

/** The limiter forces GCs through global.gc; expose it without needing node --expose-gc. */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Experimental: JS heap + external memory + what the process used outside them at start. */
function liveMemoryReading(): () => number {
  const m0 = process.memoryUsage();
  const outside = m0.rss - m0.heapTotal - m0.external;
  return () => {
    const m = process.memoryUsage();
    return outside + m.heapTotal + m.external;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'memlimit-bench-'));
const body = payload(Number(args['payload-kib']));
const payloadFile = join(dir, 'payload.bin');
writeFileSync(payloadFile, body);

const receiver = createOtlpReceiver({ grpc: false, http: { endpoint: '127.0.0.1:0' } });
const limiter = useLimiter
  ? createMemoryLimiter({
      limitMib,
      checkIntervalMs: Number(args['check-interval-ms']),
      minGcIntervalWhenSoftLimitedMs: Number(args['soft-gc-interval-ms']),
      gc: exposeGc(),
      ...(args['memory-reading'] === 'live' ? { readMemoryBytes: liveMemoryReading() } : {}),
    })
  : undefined;
const sink = createSlowSink(sinkBytesPerSecond);
const pipeline = createPipeline({
  pipelines: [
    { signal: 'traces', receivers: [receiver], processors: limiter ? [limiter] : [], exporters: [sink] },
  ],
});
await pipeline.start();

let peakSampledRss = 0;
let peakQueued = 0;
let refusingSamples = 0;
let samples = 0;
const baselineRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  peakSampledRss = Math.max(peakSampledRss, rss);
  peakQueued = Math.max(peakQueued, sink.queuedBytes);
  samples++;
  if (limiter?.state.refusing) refusingSamples++;
  // Without the limiter the queue grows without bound; stop before hurting the machine.
  if (rss > Math.max(4 * limitMib, 1024) * MIB) {
    console.error(`RSS passed ${(4 * limitMib) | 0 || 1024} MiB without a limiter: stopping early`);
    child.kill();
  }
}, 10);

const timeline = args.timeline
  ? setInterval(() => {
      const m = process.memoryUsage();
      console.error(
        `t=${((Date.now() - started) / 1000).toFixed(0)}s rss=${mib(m.rss)} heapUsed=${mib(m.heapUsed)} ` +
          `external=${mib(m.external)} sinkQueue=${mib(sink.queuedBytes)} inFlight=${mib(limiter?.state.inFlightBytes ?? 0)} ` +
          `refusing=${limiter?.state.refusing ?? false}`,
      );
    }, 1000)
  : undefined;

const config = {
  url: `${receiver.httpUrl}/v1/traces`,
  payloadFile,
  clients: Number(args.clients),
  socketsPerClient: Number(args.sockets),
  bytesPerSecond: offeredBytesPerSecond,
  durationMs,
};
const child = fork(new URL('./clients.ts', import.meta.url), [JSON.stringify(config)], { stdio: 'inherit' });
const started = Date.now();
const report = await new Promise<ClientReport | undefined>((resolve) => {
  child.on('message', (m) => resolve(m as ClientReport));
  child.on('exit', () => resolve(undefined));
});
const elapsedS = (Date.now() - started) / 1000;
clearInterval(sampler);
clearInterval(timeline);
const deliveredBytes = sink.deliveredBytes;
await pipeline.shutdown();
rmSync(dir, { recursive: true, force: true });

const maxRssMib = process.resourceUsage().maxRSS / 1024; // kernel high-water mark, in KiB
const statuses = report?.statuses ?? {};
console.log(
  JSON.stringify(
    {
      limiter: useLimiter
        ? { limitMib, softLimitMib: Number(mib(limiter!.state.limits.softLimitBytes)) }
        : 'none',
      payloadBytes: body.length,
      offeredMibPerS: Number(mib(offeredBytesPerSecond)),
      sinkMibPerS: Number(mib(sinkBytesPerSecond)),
      durationS: Number(elapsedS.toFixed(1)),
      baselineRssMib: Number(mib(baselineRss)),
      peakRssMib: Number(maxRssMib.toFixed(1)),
      peakSampledRssMib: Number(mib(peakSampledRss)),
      peakSinkQueueMib: Number(mib(peakQueued)),
      deliveredMibPerS: Number((deliveredBytes / MIB / elapsedS).toFixed(1)),
      refusingShare: samples ? Number((refusingSamples / samples).toFixed(2)) : 0,
      requests: {
        sent: report?.sent,
        skippedClientBusy: report?.skipped,
        ...statuses,
        errors: report?.errors,
        errorCodes: report?.errorCodes,
      },
      status429: statuses['429'] ?? 0,
      underLimit: maxRssMib < limitMib,
    },
    null,
    2,
  ),
);
