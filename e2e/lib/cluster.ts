// Faults on the run's three-node Kafka, through the local harness (tools/kafka).
import { clusterStatus, killNode, restartNode, waitForCluster } from '../../tools/kafka/harness.mjs';
import type { KafkaInfo } from './env.js';

export interface ClusterControl {
  readonly brokers: string;
  /** SIGKILL one node (a crash). */
  kill(id: number): Promise<void>;
  /** Start a node again on its data; resolves once it is registered. */
  restart(id: number): Promise<void>;
  /** SIGKILL every node: Kafka entirely down. */
  killAll(): Promise<void>;
  /** Start every stopped node together (a KRaft quorum needs two of three). */
  restartAll(): Promise<void>;
  /** Node ids whose process runs. */
  running(): number[];
  /** Restarts whatever a failed scenario left down and waits until all nodes are registered. */
  ensureUp(): Promise<void>;
}

export function clusterControl(k: KafkaInfo): ClusterControl {
  const ids = Array.from({ length: k.nodes }, (_, i) => i);
  const running = () =>
    clusterStatus({ basePort: k.basePort })
      .nodes.filter((n) => n.pid !== undefined)
      .map((n) => n.id);
  const restartAll = async () => {
    const down = ids.filter((id) => !running().includes(id));
    await Promise.all(down.map((id) => restartNode({ basePort: k.basePort, id, timeoutMs: 180_000 })));
    await waitForCluster({ basePort: k.basePort, timeoutMs: 180_000 });
  };
  return {
    brokers: k.brokers,
    kill: (id) => killNode({ basePort: k.basePort, id }),
    restart: (id) => restartNode({ basePort: k.basePort, id, timeoutMs: 180_000 }),
    killAll: async () => {
      await Promise.all(ids.map((id) => killNode({ basePort: k.basePort, id })));
    },
    restartAll,
    running,
    ensureUp: restartAll,
  };
}
