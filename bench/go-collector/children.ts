// Child processes of the comparison: the load client (bench/agent/load-client.ts, so the request
// bodies and the client behaviour are the agent bench's own), the OTLP sink (bench/gateway/sink.ts)
// and our components (ours-child.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ClientConfig, RunRequest, RunResult } from '../agent/load-client.js';
import type { SinkCommand, SinkMessage, SinkStats } from '../gateway/sink.js';
import type { OursCommand, OursMessage } from './ours-child.js';
import type { SerialClientConfig, SerialMessage, SerialResult, SerialRun } from './serial-client.js';

const script = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));

/** The next IPC message of `child` that satisfies `accept`, or a rejection if it exits or `timeoutMs` passes. */
function nextMessage<M>(
  child: ChildProcess,
  what: string,
  timeoutMs: number,
  accept: (m: M) => boolean = () => true,
): Promise<M> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: M): void => {
      if (accept(m)) finish(undefined, m);
    };
    const onExit = (code: number | null): void => finish(new Error(`${what} exited (${code})`));
    function finish(err?: Error, m?: M): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const forkTs = (rel: string, env: NodeJS.ProcessEnv = process.env): ChildProcess =>
  fork(script(rel), { execArgv: process.execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

export interface LoadClient {
  readonly child: ChildProcess;
  run(r: Omit<RunRequest, 'type'>): Promise<RunResult>;
}

export async function startLoadClient(config: ClientConfig): Promise<LoadClient> {
  const child = forkTs('../agent/load-client.ts', {
    ...process.env,
    BENCH_CLIENT_CONFIG: JSON.stringify(config),
  });
  const ready = await nextMessage<ChildMessage>(child, 'load client', 120_000);
  if (ready.type !== 'ready') throw new Error(`load client did not start: ${JSON.stringify(ready)}`);
  return {
    child,
    async run(r) {
      const answer = nextMessage<ChildMessage>(child, 'load client', r.durationMs + 120_000);
      child.send({ type: 'run', ...r } satisfies RunRequest);
      const m = await answer;
      if (m.type !== 'done') throw new Error(`load client: ${m.type === 'failed' ? m.error : m.type}`);
      return m.result;
    },
  };
}

export interface SerialClient {
  readonly child: ChildProcess;
  run(r: Omit<SerialRun, 'type'>): Promise<SerialResult>;
}

/** The latency mode's SDK-like serial clients (serial-client.ts), in one process. */
export async function startSerialClient(config: SerialClientConfig): Promise<SerialClient> {
  const child = forkTs('./serial-client.ts', { ...process.env, BENCH_CLIENT_CONFIG: JSON.stringify(config) });
  await nextMessage<SerialMessage>(child, 'serial client', 120_000, (m) => m.type === 'ready');
  return {
    child,
    async run(r) {
      // Answers can take up to the client's 10 s timeout after the run's end.
      const answer = nextMessage<SerialMessage>(child, 'serial client', r.durationMs + 60_000);
      child.send({ type: 'run', ...r } satisfies SerialRun);
      const m = await answer;
      if (m.type !== 'done') throw new Error(`serial client: ${m.type === 'failed' ? m.error : m.type}`);
      return m.result;
    },
  };
}

export interface Sink {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resets the counters; resolves when `spans` spans have arrived. */
  expect(spans: number, timeoutMs: number): Promise<SinkStats>;
}

export async function startSink(): Promise<Sink> {
  const child = forkTs('../gateway/sink.ts');
  const listening = await nextMessage<SinkMessage>(child, 'sink', 120_000, (m) => m.type === 'listening');
  return {
    child,
    url: (listening as Extract<SinkMessage, { type: 'listening' }>).url,
    async expect(spans, timeoutMs) {
      const reached = nextMessage<SinkMessage>(child, 'sink', timeoutMs, (m) => m.type === 'reached');
      child.send({ type: 'expect', spans } satisfies SinkCommand);
      return ((await reached) as Extract<SinkMessage, { type: 'reached' }>).stats;
    },
  };
}

export interface Ours {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Sends a command and resolves with the answer (`started` or `stopped`). */
  request(cmd: OursCommand): Promise<Extract<OursMessage, { type: 'started' | 'stopped' }>>;
}

/** Forks ours-child.ts and waits until its modules are loaded (not measured). */
export async function startOurs(): Promise<Ours> {
  const child = forkTs('./ours-child.ts');
  await nextMessage<OursMessage>(child, 'our pipeline process', 120_000, (m) => m.type === 'loaded');
  return {
    child,
    pid: child.pid!,
    async request(cmd) {
      const answer = nextMessage<OursMessage>(child, 'our pipeline process', 120_000);
      child.send(cmd);
      const m = await answer;
      if (m.type === 'failed') throw new Error(`our pipeline process: ${m.error}`);
      if (m.type === 'loaded') throw new Error('our pipeline process: unexpected "loaded"');
      return m;
    },
  };
}

/** Ends a child by closing its IPC channel (every child here exits on 'disconnect'), then waits for it. */
export async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
