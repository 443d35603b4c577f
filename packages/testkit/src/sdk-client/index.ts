// @otlp-kafka/testkit/sdk-client: the real OpenTelemetry JS SDK at its default settings as a
// test client, one child process per SDK (like one service each). A subpath of its own so
// tests that do not need the SDK never load it.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type {
  ChildConfig,
  ChildMessage,
  ChildSummary,
  ParentMessage,
  SdkProtocol,
  SdkSignal,
} from './protocol.js';

export type { SdkProtocol, SdkSignal } from './protocol.js';

export interface SdkClientOptions {
  /** Default 'traces'. */
  readonly signal?: SdkSignal;
  /** OTLP exporter: 'http/protobuf' (default), 'http/json' or 'grpc'. */
  readonly protocol?: SdkProtocol;
  /** Receiver base URL, e.g. http://127.0.0.1:4318 (OTLP/HTTP: /v1/<signal> is appended) or http://127.0.0.1:4317 (gRPC). */
  readonly endpoint: string;
  /** Spans or log records created per second (while the process gets CPU: see SdkClientReport.starvedMs). */
  readonly itemsPerSecond: number;
  /** Create for this long, then forceFlush + shutdown; default: until stop(). */
  readonly durationMs?: number;
  /** For messages; default `sdk-<signal>-<protocol>`. */
  readonly name?: string;
  /** SIGKILL the process if it has not reported this long after start(); default durationMs + 120000 (or none without durationMs). */
  readonly timeoutMs?: number;
}

export interface SdkClientReport {
  readonly name: string;
  readonly signal: SdkSignal;
  readonly protocol: SdkProtocol;
  readonly created: number;
  /** Ids (span id hex; log record `test.id`) of exports the SDK saw succeed. */
  readonly acked: readonly string[];
  /** Ids of exports that failed (after the exporter's own retries). */
  readonly failed: readonly string[];
  /** Ids of exports the exporter sent more than once (a receiver may hold them twice). */
  readonly retried: readonly string[];
  /**
   * Items the processor never handed to the exporter: created minus exported. Exact after
   * shutdown; with the default settings the only cause is the processor's full queue.
   */
  readonly dropped: number;
  /** Items in exports still awaiting their answer when the process ended (an export timeout, a kill). */
  readonly unanswered: number;
  /** Drops the SDK reported itself through diag (spans only: the log processor drops silently). */
  readonly diagDropped: number;
  /** Runs of drops the span processor announced ("maxQueueSize reached, dropping spans"). */
  readonly dropRuns: number;
  readonly diagMessages: readonly string[];
  readonly exports: number;
  readonly failedExports: number;
  /** Largest batch the processor exported. */
  readonly maxBatch: number;
  /** Export call to answer, as the processor waits for it. */
  readonly exportMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly createMs: number;
  readonly shutdownMs: number;
  /** Longest the client's event loop was late during creation (CPU starvation of the client itself). */
  readonly maxLoopLagMs: number;
  /**
   * Creation time lost to the client's own starvation (ticks more than 50 ms late), not made up
   * (a burst would overflow the SDK's queue whatever the receiver does): created is
   * itemsPerSecond × (durationMs − starvedMs), about.
   */
  readonly starvedMs: number;
}

export interface SdkClient {
  readonly name: string;
  readonly pid: number | undefined;
  /** Resolves when the SDK is built in the child and waiting for start(). */
  readonly ready: Promise<void>;
  /** Live view: ids of successful exports so far. */
  readonly acked: ReadonlySet<string>;
  /** Live view: ids of failed exports so far. */
  readonly failed: readonly string[];
  /** Live view: ids of exports sent more than once so far. */
  readonly retried: ReadonlySet<string>;
  /** Items created as of the last export the child reported. */
  readonly created: number;
  /** Ids in exports awaiting their answer right now. */
  inFlightIds(): string[];
  /** Starts creating items (after ready). */
  start(): void;
  /** The report once the child flushed, shut down and exited; rejects if it died first. */
  readonly done: Promise<SdkClientReport>;
  /** Ends creation early (for clients without durationMs) and resolves with the report. */
  stop(): Promise<SdkClientReport>;
  /** SIGKILL, at once; resolves when the process is gone. */
  kill(): Promise<void>;
}

// From src/ (tests, no build) the child is TypeScript run through tsx; from dist/ plain JS.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const CHILD = fileURLToPath(new URL(`./child.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url));
const EXEC_ARGV = FROM_SOURCE ? ['--conditions=@otlp-kafka/source', '--import', 'tsx'] : [];

// Children die with the test process, whatever ends it.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** SIGKILLs every SDK client process still running (for afterAll / afterEach). */
export async function killSdkClients(): Promise<void> {
  await Promise.all(
    [...live].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

const urlFor = (signal: SdkSignal, protocol: SdkProtocol, endpoint: string): string =>
  protocol === 'grpc' ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;

export function startSdkClient(options: SdkClientOptions): SdkClient {
  const signal = options.signal ?? 'traces';
  const protocol = options.protocol ?? 'http/protobuf';
  const name = options.name ?? `sdk-${signal}-${protocol}`;
  const config: ChildConfig = {
    signal,
    protocol,
    url: urlFor(signal, protocol, options.endpoint),
    itemsPerSecond: options.itemsPerSecond,
    durationMs: options.durationMs,
    idPrefix: `${name}-${randomBytes(6).toString('hex')}`,
  };
  // OTEL_* variables would change the defaults under test (OTEL_BSP_*, OTEL_EXPORTER_OTLP_*).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  const child = fork(CHILD, [], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    execArgv: EXEC_ARGV,
    env: { ...env, OTLP_KAFKA_SDK_CLIENT: JSON.stringify(config) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  live.add(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-8000)));

  const acked = new Set<string>();
  const failed: string[] = [];
  const retried = new Set<string>();
  const pending = new Map<number, readonly string[]>();
  const latencies: number[] = [];
  let created = 0;
  let exports = 0;
  let failedExports = 0;
  let maxBatch = 0;
  let summary: ChildSummary | undefined;
  let childError: string | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  child.on('message', (m: ChildMessage) => {
    if (m.type === 'ready') markReady();
    else if (m.type === 'exporting') {
      pending.set(m.seq, m.ids);
      created = Math.max(created, m.created);
      maxBatch = Math.max(maxBatch, m.ids.length);
    } else if (m.type === 'exported') {
      const ids = pending.get(m.seq) ?? [];
      pending.delete(m.seq);
      exports++;
      latencies.push(m.ms);
      if (m.ok) for (const id of ids) acked.add(id);
      else {
        failedExports++;
        failed.push(...ids);
      }
    } else if (m.type === 'retrying') {
      for (const seq of m.seqs) for (const id of pending.get(seq) ?? []) retried.add(id);
    } else if (m.type === 'done') {
      summary = m.summary;
      created = m.summary.created;
    } else childError = m.error;
  });

  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, sig) => {
      live.delete(child);
      clearTimeout(timer);
      resolve(code ?? sig ?? 'unknown');
    }),
  );
  const died = (how: string) =>
    new Error(
      `${name} (pid ${child.pid}) ${how}${childError ? `: ${childError}` : ''}\n${stderr.slice(-4000)}`,
    );
  const readyOrExit = Promise.race([
    ready,
    exited.then((c) => Promise.reject(died(`exited (${c}) before it was ready`))),
  ]);
  readyOrExit.catch(() => {});

  const done = exited.then((code): SdkClientReport => {
    if (!summary || code !== 0) throw died(`exited (${code}) without a report`);
    const unanswered = [...pending.values()].reduce((s, ids) => s + ids.length, 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    const q = (p: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0;
    return {
      name,
      signal,
      protocol,
      created: summary.created,
      acked: [...acked],
      failed: [...failed],
      retried: [...retried],
      dropped: summary.created - acked.size - failed.length - unanswered,
      unanswered,
      diagDropped: summary.diagDropped,
      dropRuns: summary.dropRuns,
      diagMessages: summary.diagMessages,
      exports,
      failedExports,
      maxBatch,
      exportMs: { p50: q(0.5), p99: q(0.99), max: sorted.at(-1) ?? 0 },
      createMs: summary.createMs,
      shutdownMs: summary.shutdownMs,
      maxLoopLagMs: summary.maxLoopLagMs,
      starvedMs: summary.starvedMs,
    };
  });
  done.catch(() => {});
  const post = (m: ParentMessage) => {
    if (child.connected) child.send(m);
  };

  return {
    name,
    pid: child.pid,
    ready: readyOrExit,
    acked,
    failed,
    retried,
    get created() {
      return created;
    },
    inFlightIds: () => [...pending.values()].flat(),
    start() {
      post({ type: 'start' });
      const limit =
        options.timeoutMs ?? (options.durationMs !== undefined ? options.durationMs + 120_000 : undefined);
      if (limit !== undefined) {
        timer = setTimeout(() => {
          childError ??= `no report within ${limit} ms: killed`;
          child.kill('SIGKILL');
        }, limit);
        timer.unref();
      }
    },
    done,
    async stop() {
      post({ type: 'stop' });
      return done;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Starts `options.length` clients, waits until all are ready (module loading is not part of
 * the run), starts them together and resolves with their reports. Kills them all if one fails.
 */
export async function runSdkClients(options: readonly SdkClientOptions[]): Promise<SdkClientReport[]> {
  const clients = options.map((o) => startSdkClient(o));
  try {
    await Promise.all(clients.map((c) => c.ready));
    for (const c of clients) c.start();
    return await Promise.all(clients.map((c) => c.done));
  } finally {
    await Promise.all(clients.map((c) => c.kill()));
  }
}
