// A private Kafka cluster for one test (fault tests: kill / restart nodes), on its own
// ports so the shared development node is never disturbed.
import {
  HarnessError,
  clusterStatus,
  killClusterSync,
  killNode,
  reapOrphans,
  resetCluster,
  restartNode,
  startCluster,
  stopNode,
} from './harness.js';
import type { SecureEndpoints } from './harness.js';

export interface StartKafkaClusterOptions {
  /** Combined broker+controller nodes; default 1. 3+ nodes get replication 3, min.insync.replicas 2. */
  readonly nodes?: number;
  /** Broker port of node 0 (node i: basePort+i, controller basePort+100+i); default: the first free slot of 31092, 31102, ... 31182. */
  readonly basePort?: number;
  /** How long start and restart wait for all nodes to register; default 60000. */
  readonly timeoutMs?: number;
  /**
   * Secure mode: besides PLAINTEXT, a SASL_SSL listener (SCRAM-SHA-256, SCRAM-SHA-512,
   * PLAIN) and an SSL listener requiring client certificates, with a CA, certificates
   * and users generated for this cluster (needs openssl); see `security`. Default false.
   * Secure clusters take their own slots (31292, 31322, 31352).
   */
  readonly secure?: boolean;
}

export interface KafkaCluster {
  /** Bootstrap servers of all nodes, "127.0.0.1:p0,127.0.0.1:p1,...". */
  readonly brokers: string;
  readonly nodes: number;
  readonly basePort: number;
  /** With `secure: true`: the secure listeners, CA and client certificate files, and users. */
  readonly security?: SecureEndpoints;
  /** "127.0.0.1:port" of one node. */
  brokerAddress(id: number): string;
  /** Process id of a node's JVM, undefined when it is not running. */
  pid(id: number): number | undefined;
  /** SIGKILLs a node (a crash: no controlled shutdown). */
  kill(id: number): Promise<void>;
  /** Stops a node cleanly (SIGTERM, SIGKILL after 20 s). */
  stopNode(id: number): Promise<void>;
  /** Stops the node if running, starts it on its data and waits until every running node is registered. */
  restart(id: number): Promise<void>;
  /** Stops every node and deletes the cluster's data. Idempotent. */
  stop(): Promise<void>;
}

// Private clusters live below Linux's ephemeral port range (32768+), so a client
// socket's local port can never take a node's port across a restart. Slot k: brokers
// 31092+10k+i, controllers 31192+10k+i; ten slots keep the two ranges apart.
const SLOT_BASE = 31092;
const SLOT_STEP = 10;
const SLOTS = 10;
// Secure clusters use base+i, base+10+i, base+20+i and controllers base+100+i: three
// slots 30 apart fit between the plain slots' controllers (up to 31290) and 31461.
const SECURE_SLOT_BASE = 31292;
const SECURE_SLOT_STEP = 30;
const SECURE_SLOTS = 3;

/**
 * Starts a fresh cluster owned by this process. Its nodes are SIGKILLed if the process
 * exits without stop(), and a later start reclaims slots of processes that died.
 */
export async function startKafkaCluster(options: StartKafkaClusterOptions = {}): Promise<KafkaCluster> {
  const nodes = options.nodes ?? 1;
  const secure = options.secure === true;
  const candidates =
    options.basePort !== undefined
      ? [options.basePort]
      : secure
        ? Array.from({ length: SECURE_SLOTS }, (_, i) => SECURE_SLOT_BASE + i * SECURE_SLOT_STEP)
        : Array.from({ length: SLOTS }, (_, i) => SLOT_BASE + i * SLOT_STEP);
  await reapOrphans();
  let lastError: unknown;
  for (const basePort of candidates) {
    try {
      const started = await startCluster({
        nodes,
        basePort,
        owner: 'testkit',
        exclusive: true,
        ...(secure ? { secure } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
      return track(started.brokers, nodes, basePort, options.timeoutMs, started.security);
    } catch (err) {
      lastError = err;
      const busy = err instanceof HarnessError && (err.code === 'BUSY' || err.code === 'PORT_IN_USE');
      if (!busy || options.basePort !== undefined) throw err;
    }
  }
  const [first, step, slots] = secure
    ? [SECURE_SLOT_BASE, SECURE_SLOT_STEP, SECURE_SLOTS]
    : [SLOT_BASE, SLOT_STEP, SLOTS];
  throw new Error(`no free port slot for a Kafka cluster in ${first}..${first + slots * step}`, {
    cause: lastError,
  });
}

function track(
  brokers: string,
  nodes: number,
  basePort: number,
  timeoutMs: number | undefined,
  security: SecureEndpoints | undefined,
): KafkaCluster {
  // Last resort if the test process exits without stop(): no JVM outlives it.
  const onExit = (): void => killClusterSync(basePort);
  process.on('exit', onExit);
  let stopped: Promise<void> | undefined;
  const checkId = (id: number): void => {
    if (!Number.isInteger(id) || id < 0 || id >= nodes)
      throw new RangeError(`node id must be 0..${nodes - 1}, got ${id}`);
  };
  return {
    brokers,
    nodes,
    basePort,
    ...(security ? { security } : {}),
    brokerAddress: (id) => {
      checkId(id);
      return `127.0.0.1:${basePort + id}`;
    },
    pid: (id) => {
      checkId(id);
      return clusterStatus({ basePort }).nodes[id]?.pid;
    },
    kill: async (id) => {
      checkId(id);
      await killNode({ basePort, id });
    },
    stopNode: async (id) => {
      checkId(id);
      await stopNode({ basePort, id });
    },
    restart: async (id) => {
      checkId(id);
      await restartNode({ basePort, id, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    },
    stop: () =>
      (stopped ??= (async () => {
        try {
          await resetCluster({ basePort });
        } finally {
          process.off('exit', onExit);
        }
      })()),
  };
}
