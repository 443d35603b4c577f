// Local Apache Kafka (KRaft) clusters for development, tests and the demo.
// Shared by the CLI (tools/kafka/kafka.mjs) and @otlp-kafka/testkit; see README.md.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serverProperties } from './lib/config.mjs';
import { HarnessError, checkJava, ensureJars, kafkaVersion } from './lib/java.mjs';
import {
  CLUSTERS_DIR,
  DEFAULT_BASE_PORT,
  MAX_NODES,
  STATE_DIR,
  bootstrapServers,
  brokerPort,
  clusterDir,
  controllerPort,
  nodeDir,
} from './lib/paths.mjs';
import { metadataBrokerIds, portOpen } from './lib/probe.mjs';
import {
  checkOpenssl,
  generateSecurity,
  hasSecurity,
  readCredentials,
  saslSslPort,
  scramFormatArgs,
  secureEndpoints,
  sslPort,
} from './lib/security.mjs';
import {
  isAlive,
  nodePid,
  propsFile,
  runJava,
  serverLog,
  spawnNode,
  stdoutFile,
  tail,
  terminate,
  withLock,
} from './lib/proc.mjs';

export { HarnessError, DEFAULT_BASE_PORT, kafkaVersion };

/** Default base port of `npm run kafka -- start --secure`: away from the shared plain cluster at 39092. */
export const DEFAULT_SECURE_BASE_PORT = Number(process.env.OTLP_KAFKA_SECURE_BASE_PORT ?? 39292);

const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_GRACE_MS = 20_000;
const stateFile = (basePort) => join(clusterDir(basePort), 'cluster.json');
const lockFile = (basePort) => join(CLUSTERS_DIR, `${basePort}.lock`);
const JARS_LOCK = join(STATE_DIR, 'lib.lock');

/** Java 17+ present and the pinned jars in .kafka/lib (Maven once, under a lock); returns the classpath. */
async function prerequisites(log, secure = false) {
  checkJava();
  if (secure) checkOpenssl();
  mkdirSync(STATE_DIR, { recursive: true });
  return withLock(JARS_LOCK, async () => ensureJars({ log }), { timeoutMs: 900_000 });
}
const leaseDir = (basePort) => join(clusterDir(basePort), 'leases');

function readState(basePort) {
  try {
    return JSON.parse(readFileSync(stateFile(basePort), 'utf8'));
  } catch {
    return undefined;
  }
}
const writeState = (basePort, state) =>
  writeFileSync(stateFile(basePort), JSON.stringify(state, null, 2) + '\n');

/** Kafka cluster ids are 16 random bytes, base64url without padding, not starting with '-'. */
function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function validate(basePort, nodes) {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES)
    throw new HarnessError(`nodes must be 1..${MAX_NODES}, got ${nodes}`);
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + 100 + MAX_NODES > 65535)
    throw new HarnessError(`invalid basePort ${basePort}`);
}

/** The cluster at basePort: per node its pid (when running) and ports. */
export function clusterStatus({ basePort = DEFAULT_BASE_PORT } = {}) {
  const state = readState(basePort);
  if (!state) return { basePort, exists: false, running: false, nodes: [], brokers: '' };
  const nodes = Array.from({ length: state.nodes }, (_, id) => ({
    id,
    pid: nodePid(basePort, id),
    brokerPort: brokerPort(basePort, id),
    controllerPort: controllerPort(basePort, id),
    dir: nodeDir(basePort, id),
    log: serverLog(basePort, id),
  }));
  return {
    basePort,
    exists: true,
    running: nodes.some((n) => n.pid !== undefined),
    allRunning: nodes.every((n) => n.pid !== undefined),
    clusterId: state.clusterId,
    kafkaVersion: state.kafkaVersion,
    owner: state.owner,
    nodes,
    brokers: bootstrapServers(basePort, state.nodes),
    secure: state.secure === true,
    ...(state.secure ? { security: secureEndpoints(basePort, state.nodes) } : {}),
  };
}

/** Waits until the cluster's Metadata response lists exactly the given node ids. */
export async function waitForCluster({
  basePort = DEFAULT_BASE_PORT,
  nodeIds,
  timeoutMs = DEFAULT_START_TIMEOUT_MS,
} = {}) {
  const state = readState(basePort);
  if (!state) throw new HarnessError(`no cluster at base port ${basePort}`);
  const expected = nodeIds ?? Array.from({ length: state.nodes }, (_, i) => i);
  const bootstrap = expected.map((id) => `127.0.0.1:${brokerPort(basePort, id)}`).join(',');
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    for (const id of expected) {
      if (nodePid(basePort, id) === undefined) {
        const output = `stdout:\n${tail(stdoutFile(basePort, id), 1500)}\nserver.log:\n${tail(serverLog(basePort, id))}`;
        const err = new HarnessError(`Kafka node ${id} exited during start-up. ${output}`);
        err.exitedNode = id;
        // Our ports lie in Linux's ephemeral range: a client socket can briefly hold one.
        err.bindFailure = /Address already in use|BindException/.test(output);
        throw err;
      }
    }
    const open = await Promise.all(expected.map((id) => portOpen(brokerPort(basePort, id))));
    // In secure mode the SASL_SSL and mTLS listeners must accept connections too.
    const secureOpen = state.secure
      ? await Promise.all(
          expected.flatMap((id) => [portOpen(saslSslPort(basePort, id)), portOpen(sslPort(basePort, id))]),
        )
      : [];
    if (open.every(Boolean) && !secureOpen.every(Boolean)) {
      last = 'secure listeners not yet open';
    } else if (open.every(Boolean)) {
      try {
        const ids = await metadataBrokerIds(bootstrap, Math.min(5000, Math.max(500, deadline - Date.now())));
        if (expected.every((id) => ids.includes(id))) return ids;
        last = `metadata lists brokers [${ids.join(',')}], waiting for [${expected.join(',')}]`;
      } catch (err) {
        last = `metadata request failed: ${err.message}`;
      }
    } else {
      last = `broker ports not yet open: ${expected
        .filter((_, i) => !open[i])
        .map((id) => brokerPort(basePort, id))
        .join(',')}`;
    }
    await sleep(250);
  }
  throw new HarnessError(
    `Kafka at ${bootstrap} not ready after ${timeoutMs} ms (${last}). Logs: ${expected.map((id) => serverLog(basePort, id)).join(' ')}`,
  );
}

async function assertPortsFree(basePort, ids) {
  const secure = readState(basePort)?.secure === true;
  for (const id of ids) {
    const ports = [brokerPort(basePort, id), controllerPort(basePort, id)];
    if (secure) ports.push(saslSslPort(basePort, id), sslPort(basePort, id));
    for (const port of ports) {
      if (await portOpen(port, 500)) {
        throw new HarnessError(
          `port 127.0.0.1:${port} is already in use by another process; pick another basePort (--base-port)`,
          'PORT_IN_USE',
        );
      }
    }
  }
}

/** Writes server.properties and formats KRaft storage for nodes not formatted yet. */
async function prepare(classpath, basePort, state) {
  // Secure mode: certificates and users are made with the cluster (its SCRAM users live in
  // the formatted metadata), so a cluster without them was re-formatted by the caller.
  const credentials = state.secure
    ? hasSecurity(basePort)
      ? readCredentials(basePort)
      : generateSecurity(basePort)
    : undefined;
  await Promise.all(
    Array.from({ length: state.nodes }, async (_, id) => {
      const dir = nodeDir(basePort, id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        propsFile(basePort, id),
        serverProperties({ basePort, nodes: state.nodes, id, ...(credentials ? { credentials } : {}) }),
      );
      if (existsSync(join(dir, 'metadata', 'meta.properties'))) return;
      await runJava(classpath, [
        'kafka.tools.StorageTool',
        'format',
        '-t',
        state.clusterId,
        '-c',
        propsFile(basePort, id),
        '--ignore-formatted',
        ...(credentials ? scramFormatArgs(credentials) : []),
      ]);
    }),
  );
}

/**
 * Spawns the nodes and waits for the cluster; a node that dies because its port was
 * momentarily taken is spawned again (a few times) before giving up.
 */
async function spawnAndWait(classpath, basePort, ids, waitIds, deadline) {
  for (const id of ids) spawnNode(classpath, basePort, id);
  for (let attempt = 1; ; attempt++) {
    try {
      return await waitForCluster({
        basePort,
        nodeIds: waitIds,
        timeoutMs: Math.max(5000, deadline - Date.now()),
      });
    } catch (err) {
      if (!err.bindFailure || attempt >= 4 || Date.now() > deadline) throw err;
      await sleep(1000 * attempt);
      await assertPortsFree(basePort, [err.exitedNode]);
      spawnNode(classpath, basePort, err.exitedNode);
    }
  }
}

async function stopNodes(basePort, ids, graceMs) {
  await Promise.all(
    ids.map(async (id) => {
      const pid = nodePid(basePort, id);
      if (pid !== undefined) await terminate(pid, { graceMs });
      rmSync(join(nodeDir(basePort, id), 'kafka.pid'), { force: true });
    }),
  );
}

/**
 * Starts (or reuses, when already running with the same size) an N-node cluster and
 * waits until every node is registered. A stopped cluster keeps its data; a different
 * node count re-formats it. On failure every node started here is stopped again.
 * @returns {Promise<{ brokers: string, basePort: number, nodes: number, reused: boolean, startupMs: number }>}
 */
export async function startCluster({
  nodes = 1,
  basePort = DEFAULT_BASE_PORT,
  owner = 'cli',
  timeoutMs = DEFAULT_START_TIMEOUT_MS,
  acceptRunning = false,
  exclusive = false,
  lease = false,
  secure = false,
  log = () => {},
} = {}) {
  validate(basePort, nodes);
  const began = Date.now();
  mkdirSync(CLUSTERS_DIR, { recursive: true });
  return withLock(lockFile(basePort), async () => {
    let status = clusterStatus({ basePort });
    if (status.running && exclusive) {
      const state = readState(basePort);
      if (state?.ownerPid !== undefined && state.ownerPid !== process.pid && !isAlive(state.ownerPid)) {
        log(`stopping the cluster at base port ${basePort} left behind by dead process ${state.ownerPid}`);
        await stopNodes(
          basePort,
          status.nodes.map((n) => n.id),
          5000,
        );
        status = clusterStatus({ basePort });
      } else {
        throw new HarnessError(`a cluster is already running at base port ${basePort}`, 'BUSY');
      }
    }
    if (exclusive) rmSync(clusterDir(basePort), { recursive: true, force: true });
    // Tests take the development cluster as it is: running or stopped, of any size.
    if (acceptRunning && status.exists && (status.allRunning || !status.running)) nodes = status.nodes.length;
    if (status.running && status.secure !== secure) {
      throw new HarnessError(
        `a ${status.secure ? 'secure' : 'plain'} cluster is already running at base port ${basePort}; ` +
          `use another --base-port or stop it first (npm run kafka -- stop --base-port ${basePort})`,
      );
    }
    if (status.running) {
      if (status.nodes.length !== nodes) {
        throw new HarnessError(
          `a ${status.nodes.length}-node cluster is already running at ${status.brokers}; stop it first (npm run kafka -- stop)`,
        );
      }
      const down = status.nodes.filter((n) => n.pid === undefined).map((n) => n.id);
      if (down.length === 0) {
        await waitForCluster({ basePort, timeoutMs });
        // `npm run kafka -- start` adopts a cluster tests started, so their teardown leaves it up.
        if (owner === 'cli' && status.owner !== 'cli')
          writeState(basePort, { ...readState(basePort), owner, ownerPid: undefined });
        if (lease) addLease(basePort);
        return {
          brokers: status.brokers,
          basePort,
          nodes,
          reused: true,
          startupMs: Date.now() - began,
          ...(secure ? { security: secureEndpoints(basePort, nodes) } : {}),
        };
      }
    }
    const classpath = await prerequisites(log, secure);
    // The start budget counts from here: a first-time jar download has its own bound.
    const startBegan = Date.now();
    let state = readState(basePort);
    const securityChanged =
      state !== undefined && ((state.secure === true) !== secure || (secure && !hasSecurity(basePort)));
    if (state && (state.nodes !== nodes || state.kafkaVersion !== kafkaVersion() || securityChanged)) {
      log(
        `re-formatting ${clusterDir(basePort)} (was ${state.nodes} node(s), Kafka ${state.kafkaVersion}${state.secure ? ', secure' : ''})`,
      );
      await stopNodes(
        basePort,
        status.nodes.map((n) => n.id),
        DEFAULT_STOP_GRACE_MS,
      );
      rmSync(clusterDir(basePort), { recursive: true, force: true });
      state = undefined;
    }
    state ??= {
      clusterId: newClusterId(),
      nodes,
      kafkaVersion: kafkaVersion(),
      ...(secure ? { secure: true } : {}),
    };
    mkdirSync(clusterDir(basePort), { recursive: true });
    // A CLI cluster with some nodes still up stays the CLI's (tests must not stop it at teardown).
    const keepCli = status.running && status.owner === 'cli';
    writeState(basePort, {
      ...state,
      basePort,
      owner: keepCli ? 'cli' : owner,
      ownerPid: owner === 'cli' || keepCli ? undefined : process.pid,
      exclusive,
    });
    const toStart = Array.from({ length: nodes }, (_, id) => id).filter(
      (id) => nodePid(basePort, id) === undefined,
    );
    await assertPortsFree(basePort, toStart);
    await prepare(classpath, basePort, state);
    log(`starting ${nodes} Kafka ${state.kafkaVersion} node(s) ...`);
    try {
      const all = Array.from({ length: nodes }, (_, id) => id);
      await spawnAndWait(classpath, basePort, toStart, all, startBegan + timeoutMs);
    } catch (err) {
      await stopNodes(basePort, toStart, 5000);
      throw err;
    }
    if (lease) addLease(basePort);
    return {
      brokers: bootstrapServers(basePort, nodes),
      basePort,
      nodes,
      reused: false,
      startupMs: Date.now() - began,
      ...(secure ? { security: secureEndpoints(basePort, nodes) } : {}),
    };
  });
}

/** Stops every node (SIGTERM, SIGKILL after graceMs). Data stays for the next start. */
export async function stopCluster({ basePort = DEFAULT_BASE_PORT, graceMs = DEFAULT_STOP_GRACE_MS } = {}) {
  mkdirSync(CLUSTERS_DIR, { recursive: true });
  return withLock(lockFile(basePort), async () => {
    const status = clusterStatus({ basePort });
    const ids = status.nodes.filter((n) => n.pid !== undefined).map((n) => n.id);
    await stopNodes(basePort, ids, graceMs);
    rmSync(leaseDir(basePort), { recursive: true, force: true });
    return { stopped: ids };
  });
}

/** Stops the cluster and deletes its data, logs and configuration. */
export async function resetCluster({ basePort = DEFAULT_BASE_PORT } = {}) {
  const { stopped } = await stopCluster({ basePort });
  rmSync(clusterDir(basePort), { recursive: true, force: true });
  return { stopped };
}

/** SIGKILLs one node (a crash, no clean shutdown). */
export async function killNode({ basePort = DEFAULT_BASE_PORT, id }) {
  const pid = nodePid(basePort, id);
  if (pid === undefined)
    throw new HarnessError(`node ${id} of the cluster at base port ${basePort} is not running`);
  await terminate(pid, { signal: 'SIGKILL', graceMs: 10_000 });
}

/** Stops one node cleanly (SIGTERM). */
export async function stopNode({ basePort = DEFAULT_BASE_PORT, id, graceMs = DEFAULT_STOP_GRACE_MS }) {
  await stopNodes(basePort, [id], graceMs);
}

/** (Re)starts one node (stopping it first if running) and waits until all running nodes are registered. */
export async function restartNode({
  basePort = DEFAULT_BASE_PORT,
  id,
  timeoutMs = DEFAULT_START_TIMEOUT_MS,
  graceMs = DEFAULT_STOP_GRACE_MS,
}) {
  const state = readState(basePort);
  if (!state) throw new HarnessError(`no cluster at base port ${basePort}`);
  if (!Number.isInteger(id) || id < 0 || id >= state.nodes)
    throw new HarnessError(`node id must be 0..${state.nodes - 1}, got ${id}`);
  await stopNodes(basePort, [id], graceMs);
  const classpath = await prerequisites(() => {}, state.secure === true);
  await assertPortsFree(basePort, [id]);
  const running = Array.from({ length: state.nodes }, (_, i) => i).filter(
    (i) => i === id || nodePid(basePort, i) !== undefined,
  );
  try {
    await spawnAndWait(classpath, basePort, [id], running, Date.now() + timeoutMs);
  } catch (err) {
    await stopNodes(basePort, [id], 5000);
    throw err;
  }
}

// ---- Leases: test runs sharing one cluster; the last one out stops a cluster tests started.

/** Registers this process as a user of the cluster at basePort. */
export function addLease(basePort = DEFAULT_BASE_PORT) {
  mkdirSync(leaseDir(basePort), { recursive: true });
  writeFileSync(join(leaseDir(basePort), String(process.pid)), '');
}

/**
 * Drops this process's lease. Stops the cluster when it was started by tests (not
 * `npm run kafka -- start`) and no other live process holds a lease.
 */
export async function releaseLease(basePort = DEFAULT_BASE_PORT) {
  mkdirSync(CLUSTERS_DIR, { recursive: true });
  return withLock(lockFile(basePort), async () => {
    rmSync(join(leaseDir(basePort), String(process.pid)), { force: true });
    let others = [];
    try {
      others = readdirSync(leaseDir(basePort))
        .map(Number)
        .filter((pid) => pid !== process.pid && isAlive(pid));
    } catch {
      /* no leases */
    }
    const state = readState(basePort);
    if (state?.owner === 'cli' || others.length > 0) return { stopped: false };
    const status = clusterStatus({ basePort });
    await stopNodes(
      basePort,
      status.nodes.filter((n) => n.pid !== undefined).map((n) => n.id),
      DEFAULT_STOP_GRACE_MS,
    );
    return { stopped: true };
  });
}

/** Synchronously SIGKILLs every running node (safe inside a process 'exit' handler). */
export function killClusterSync(basePort) {
  for (const node of clusterStatus({ basePort }).nodes) {
    if (node.pid === undefined) continue;
    try {
      process.kill(node.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/**
 * Stops and deletes private clusters (startCluster({ exclusive: true })) whose owning
 * process died without stopping them, e.g. a SIGKILLed test worker.
 * @returns {Promise<number[]>} base ports reaped
 */
export async function reapOrphans({ log = () => {} } = {}) {
  let entries = [];
  try {
    entries = readdirSync(CLUSTERS_DIR, { withFileTypes: true }).filter(
      (e) => e.isDirectory() && /^\d+$/.test(e.name),
    );
  } catch {
    return [];
  }
  const reaped = [];
  for (const entry of entries) {
    const basePort = Number(entry.name);
    const state = readState(basePort);
    if (!state?.exclusive || state.ownerPid === undefined || isAlive(state.ownerPid)) continue;
    await withLock(lockFile(basePort), async () => {
      const again = readState(basePort);
      if (!again?.exclusive || again.ownerPid === undefined || isAlive(again.ownerPid)) return;
      const status = clusterStatus({ basePort });
      await stopNodes(
        basePort,
        status.nodes.filter((n) => n.pid !== undefined).map((n) => n.id),
        5000,
      );
      rmSync(clusterDir(basePort), { recursive: true, force: true });
      log(`reaped cluster at base port ${basePort} left by dead process ${again.ownerPid}`);
      reaped.push(basePort);
    });
  }
  return reaped;
}
