// JVM processes of the nodes: spawn detached, pid files, liveness, signals; plus a
// cross-process lock so concurrent test runs do not start the same cluster twice.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError, javaBin } from './java.mjs';
import { LOG4J_CONFIG, nodeDir } from './paths.mjs';

export const heapOpts = () =>
  (process.env.KAFKA_HEAP_OPTS ?? '-Xms64m -Xmx384m').split(/\s+/).filter(Boolean);

const jvmOpts = (logsDir) => [
  ...heapOpts(),
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
  `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
  `-Dkafka.logs.dir=${logsDir}`,
];

export const pidFile = (basePort, id) => join(nodeDir(basePort, id), 'kafka.pid');
export const propsFile = (basePort, id) => join(nodeDir(basePort, id), 'server.properties');
export const stdoutFile = (basePort, id) => join(nodeDir(basePort, id), 'stdout.log');
export const serverLog = (basePort, id) => join(nodeDir(basePort, id), 'logs', 'server.log');

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** A pid from the node's pid file, only if that process is still this node's JVM. */
export function nodePid(basePort, id) {
  let pid;
  try {
    pid = Number(readFileSync(pidFile(basePort, id), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  let cmdline;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return existsSync('/proc/self') ? undefined : pid; // no /proc (macOS): trust the live pid
  }
  // An exited child not reaped yet (zombie) has an empty command line.
  if (cmdline === '') return undefined;
  // Guard against pid reuse: the command line must name this node's config.
  return cmdline.includes(propsFile(basePort, id)) ? pid : undefined;
}

/** Runs a Java main class to completion (storage format); rejects with its output on failure. */
export function runJava(classpath, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      javaBin(),
      [
        '-Xmx256m',
        `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
        '-Dkafka.logs.dir=/tmp',
        '-cp',
        classpath,
        ...args,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    timer.unref();
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new HarnessError(`cannot run java: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else
        reject(
          new HarnessError(
            `java ${args.slice(0, 2).join(' ')} failed (${signal ?? `exit ${code}`}):\n${out.trim().slice(-3000)}`,
          ),
        );
    });
  });
}

/** Starts one node's JVM detached (own process group, output to files) and writes its pid file. */
export function spawnNode(classpath, basePort, id) {
  const dir = nodeDir(basePort, id);
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const out = openSync(stdoutFile(basePort, id), 'a');
  try {
    const child = spawn(
      javaBin(),
      [...jvmOpts(logsDir), '-cp', classpath, 'kafka.Kafka', propsFile(basePort, id)],
      {
        cwd: dir,
        detached: true,
        stdio: ['ignore', out, out],
      },
    );
    child.on('error', () => {}); // surfaced as "node exited" by the readiness wait
    child.unref();
    if (child.pid === undefined) throw new HarnessError(`cannot spawn ${javaBin()} for node ${id}`);
    writeFileSync(pidFile(basePort, id), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** SIGTERM (clean shutdown), then SIGKILL after graceMs; resolves once the process is gone. */
export async function terminate(pid, { graceMs = 20_000, signal = 'SIGTERM' } = {}) {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    const hard = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < hard) await sleep(50);
  }
  if (isAlive(pid)) throw new HarnessError(`process ${pid} survived SIGKILL`);
}

export function tail(file, maxChars = 3000) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-maxChars);
  } catch {
    return '';
  }
}

/** Exclusive lock around a cluster's lifecycle, shared by the CLI and every test process. */
export async function withLock(lockPath, fn, { timeoutMs = 180_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(lockPath, 'utf8').trim());
      } catch {
        continue; // released between open and read
      }
      let ageMs = 0;
      try {
        ageMs = Date.now() - statSync(lockPath).mtimeMs;
      } catch {
        continue;
      }
      // A holder that died (or a lock file being written right now: NaN and young) .
      if ((Number.isInteger(holder) && !isAlive(holder)) || (!Number.isInteger(holder) && ageMs > 5000)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new HarnessError(`timed out waiting for lock ${lockPath} held by pid ${holder}`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
