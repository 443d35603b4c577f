// Process lifecycle of the harness (pid files, leases, stop, kill) against stand-in
// processes instead of JVMs, in a private state folder: no Kafka needed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';

type Harness = typeof import('../../../../tools/kafka/harness.mjs');

const BASE = 40900;
let state: string;
let harness: Harness;
const children: ChildProcess[] = [];

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

/** A cluster.json plus, per node, a live process whose command line names the node's config. */
async function fakeCluster(nodes: number, owner: 'cli' | 'testkit'): Promise<ChildProcess[]> {
  const dir = join(state, 'clusters', String(BASE));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'cluster.json'),
    JSON.stringify({ clusterId: 'x', nodes, kafkaVersion: '4.1.1', owner }),
  );
  const procs: ChildProcess[] = [];
  for (let id = 0; id < nodes; id++) {
    const nodeDir = join(dir, `node-${id}`);
    mkdirSync(nodeDir);
    const child = spawn(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)', join(nodeDir, 'server.properties')],
      {
        stdio: 'ignore',
      },
    );
    await new Promise((resolve) => child.once('spawn', resolve));
    writeFileSync(join(nodeDir, 'kafka.pid'), `${child.pid}\n`);
    children.push(child);
    procs.push(child);
  }
  return procs;
}

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'kafka-lifecycle-'));
  vi.stubEnv('OTLP_KAFKA_DIR', state);
  vi.resetModules();
  harness = await import('../../../../tools/kafka/harness.mjs');
});

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  vi.unstubAllEnvs();
  rmSync(state, { recursive: true, force: true });
});

describe('harness lifecycle', () => {
  beforeEach(() => {
    rmSync(join(state, 'clusters'), { recursive: true, force: true });
  });

  test('status reads pids; a pid whose command line is not the node is ignored', async () => {
    const [p0, p1] = await fakeCluster(2, 'cli');
    writeFileSync(join(state, 'clusters', String(BASE), 'node-1', 'kafka.pid'), `${process.pid}\n`);
    const s = harness.clusterStatus({ basePort: BASE });
    expect(s.exists).toBe(true);
    expect(s.brokers).toBe(`127.0.0.1:${BASE},127.0.0.1:${BASE + 1}`);
    expect(s.nodes.map((n) => n.pid)).toEqual([p0!.pid, undefined]);
    expect(s.nodes.map((n) => n.controllerPort)).toEqual([BASE + 100, BASE + 101]);
    p1!.kill('SIGKILL');
  });

  test('kill SIGKILLs one node only; stop terminates the rest and leaves no process', async () => {
    const [p0, p1, p2] = await fakeCluster(3, 'cli');
    await harness.killNode({ basePort: BASE, id: 1 });
    await gone(p1!);
    expect(p1!.signalCode).toBe('SIGKILL');
    expect(harness.clusterStatus({ basePort: BASE }).nodes.map((n) => n.pid !== undefined)).toEqual([
      true,
      false,
      true,
    ]);
    const { stopped } = await harness.stopCluster({ basePort: BASE });
    expect(stopped).toEqual([0, 2]);
    await Promise.all([gone(p0!), gone(p2!)]);
    expect(p0!.signalCode).toBe('SIGTERM');
    expect([p0!.pid!, p1!.pid!, p2!.pid!].filter(alive)).toEqual([]);
  });

  test('a cluster tests started is stopped by the last lease holder only', async () => {
    const [p0] = await fakeCluster(1, 'testkit');
    harness.addLease(BASE);
    // Another live test run (stand-in: our parent) still uses the cluster.
    writeFileSync(join(state, 'clusters', String(BASE), 'leases', String(process.ppid)), '');
    // A lease of a run that died does not count.
    writeFileSync(join(state, 'clusters', String(BASE), 'leases', '999999999'), '');
    expect(await harness.releaseLease(BASE)).toEqual({ stopped: false });
    expect(alive(p0!.pid!)).toBe(true);
    rmSync(join(state, 'clusters', String(BASE), 'leases', String(process.ppid)));
    harness.addLease(BASE);
    expect(await harness.releaseLease(BASE)).toEqual({ stopped: true });
    await gone(p0!);
    expect(alive(p0!.pid!)).toBe(false);
  });

  test('a cluster started from the CLI is never stopped by tests', async () => {
    const [p0] = await fakeCluster(1, 'cli');
    harness.addLease(BASE);
    expect(await harness.releaseLease(BASE)).toEqual({ stopped: false });
    expect(alive(p0!.pid!)).toBe(true);
    p0!.kill('SIGKILL');
  });

  test('reapOrphans removes private clusters of dead owners only', async () => {
    const [p0] = await fakeCluster(1, 'testkit');
    const file = join(state, 'clusters', String(BASE), 'cluster.json');
    writeFileSync(
      file,
      JSON.stringify({ clusterId: 'x', nodes: 1, owner: 'testkit', ownerPid: process.pid, exclusive: true }),
    );
    expect(await harness.reapOrphans()).toEqual([]);
    expect(alive(p0!.pid!)).toBe(true);
    writeFileSync(
      file,
      JSON.stringify({ clusterId: 'x', nodes: 1, owner: 'testkit', ownerPid: 999999999, exclusive: true }),
    );
    expect(await harness.reapOrphans()).toEqual([BASE]);
    await gone(p0!);
    expect(harness.clusterStatus({ basePort: BASE }).exists).toBe(false);
  });
});
