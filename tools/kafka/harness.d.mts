// Types for harness.mjs (plain ESM, no build step) so strict TypeScript callers type-check.

export declare class HarnessError extends Error {
  constructor(message: string, code?: 'BUSY' | 'PORT_IN_USE' | 'FAILED');
  /** BUSY: another live process's cluster runs there; PORT_IN_USE: a foreign process holds a port. */
  readonly code: 'BUSY' | 'PORT_IN_USE' | 'FAILED';
}
export declare const DEFAULT_BASE_PORT: number;
/** Default base port of a secure cluster started by `npm run kafka -- start --secure` (39292). */
export declare const DEFAULT_SECURE_BASE_PORT: number;

/** A SASL user the secure mode created (SCRAM users at format time, PLAIN through JAAS). */
export interface SecureUser {
  username: string;
  password: string;
}

/** The secure listeners of a cluster started with `secure: true`, and what a client needs for them. */
export interface SecureEndpoints {
  /** SASL_SSL listeners (node i: basePort+10+i): SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN, TLS without client certificates. */
  saslSslBrokers: string;
  /** SSL listeners requiring a client certificate signed by the CA (node i: basePort+20+i). */
  sslBrokers: string;
  /** PEM CA that signed the broker and client certificates (generated when the cluster was formatted). */
  caFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A CA that signed nothing the broker uses (negative tests). */
  untrustedCaFile: string;
  /** A client certificate and key from the untrusted CA: the mTLS listener refuses them. */
  untrustedClientCertFile: string;
  untrustedClientKeyFile: string;
  users: Record<'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN', SecureUser>;
}
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
  /** Started with `secure: true`. */
  secure?: boolean;
  security?: SecureEndpoints;
}

export interface StartedCluster {
  brokers: string;
  basePort: number;
  nodes: number;
  reused: boolean;
  startupMs: number;
  /** With `secure: true`. */
  security?: SecureEndpoints;
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
  /** Secure mode: SASL_SSL and mTLS listeners besides PLAINTEXT, TLS material and users generated at format time (needs openssl). */
  secure?: boolean;
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
