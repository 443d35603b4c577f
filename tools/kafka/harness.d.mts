// Types for harness.mjs (plain ESM, no build step) so strict TypeScript callers type-check.

export declare class HarnessError extends Error {
  constructor(message: string, code?: 'BUSY' | 'PORT_IN_USE' | 'FAILED');
  /** BUSY: another live process's cluster runs there; PORT_IN_USE: a foreign process holds a port. */
  readonly code: 'BUSY' | 'PORT_IN_USE' | 'FAILED';
}
export declare const DEFAULT_BASE_PORT: number;
export declare function kafkaVersion(): string;

export interface NodeStatus {
  id: number;
  pid: number | undefined;
  brokerPort: number;
  controllerPort: number;
  dir: string;
  log: string;
}

export interface ClusterStatus {
  basePort: number;
  exists: boolean;
  running: boolean;
  allRunning?: boolean;
  clusterId?: string;
  kafkaVersion?: string;
  owner?: 'cli' | 'testkit';
  nodes: NodeStatus[];
  /** Comma-separated bootstrap servers of all nodes ('' when no cluster). */
  brokers: string;
}

export interface StartedCluster {
  brokers: string;
  basePort: number;
  nodes: number;
  reused: boolean;
  startupMs: number;
}

export declare function clusterStatus(options?: { basePort?: number }): ClusterStatus;
export declare function waitForCluster(options?: {
  basePort?: number;
  nodeIds?: number[];
  timeoutMs?: number;
}): Promise<number[]>;
export declare function startCluster(options?: {
  nodes?: number;
  basePort?: number;
  owner?: 'cli' | 'testkit';
  timeoutMs?: number;
  /** Reuse a fully running cluster whatever its node count. */
  acceptRunning?: boolean;
  /** A fresh cluster owned by this process: fail with code BUSY if another live process's cluster runs there. */
  exclusive?: boolean;
  /** Register this process as a user (see releaseLease). */
  lease?: boolean;
  log?: (message: string) => void;
}): Promise<StartedCluster>;
export declare function stopCluster(options?: {
  basePort?: number;
  graceMs?: number;
}): Promise<{ stopped: number[] }>;
export declare function resetCluster(options?: { basePort?: number }): Promise<{ stopped: number[] }>;
export declare function killNode(options: { basePort?: number; id: number }): Promise<void>;
export declare function stopNode(options: { basePort?: number; id: number; graceMs?: number }): Promise<void>;
export declare function restartNode(options: {
  basePort?: number;
  id: number;
  timeoutMs?: number;
  graceMs?: number;
}): Promise<void>;
export declare function addLease(basePort?: number): void;
export declare function releaseLease(basePort?: number): Promise<{ stopped: boolean }>;
/** Synchronously SIGKILLs every running node of the cluster (for process-exit cleanup). */
export declare function killClusterSync(basePort: number): void;
/** Stops and deletes private (exclusive) clusters whose owning process died; returns their base ports. */
export declare function reapOrphans(options?: { log?: (message: string) => void }): Promise<number[]>;
