import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** An otlp-kafka process running a config: for the demo and the end-to-end fault suite. */
export interface CollectorProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** Resolves when the process logged "everything is ready"; rejects if it exits first or the timeout passes. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** SIGTERM (graceful: drain and commit), bounded; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | string>;
  /** SIGKILL at once: a crash. */
  kill(): Promise<number | string>;
}

export interface CollectorProcessOptions {
  name: string;
  configs: readonly string[];
  env?: Record<string, string>;
  /** File receiving the process's JSON logs (stdout + stderr). */
  logFile?: string;
  readyTimeoutMs?: number;
}

// The built CLI, whether this module runs from src/ (tests) or dist/.
const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export function startCollectorProcess(options: CollectorProcessOptions): CollectorProcess {
  const args = [BIN, ...options.configs.flatMap((c) => ['--config', c])];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  let buffered = '';
  let markReady: () => void = () => {};
  let failReady: (e: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const timer = setTimeout(
    () => failReady(new Error(`${options.name} not ready after ${options.readyTimeoutMs ?? 60_000} ms`)),
    options.readyTimeoutMs ?? 60_000,
  );
  timer.unref();
  const onData = (chunk: Buffer) => {
    log?.write(chunk);
    buffered = (buffered + chunk.toString('utf8')).slice(-65536);
    if (buffered.includes('everything is ready')) {
      clearTimeout(timer);
      markReady();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      failReady(
        new Error(
          `${options.name} exited (${code ?? signal}) before it was ready:\n${buffered.slice(-4000)}`,
        ),
      );
      log?.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  ready.catch(() => {});
  const stop = async (timeoutMs = 30_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    t.unref();
    const r = await exited;
    clearTimeout(t);
    return r;
  };
  return {
    name: options.name,
    pid: child.pid,
    ready,
    exited,
    stop,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}
