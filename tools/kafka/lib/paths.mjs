// Where the harness keeps its jars and clusters, and which ports a cluster uses.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOLS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(TOOLS_DIR, '..', '..');
/** Git-ignored state folder (jars, cluster data, logs); OTLP_KAFKA_DIR overrides it. */
export const STATE_DIR = resolve(process.env.OTLP_KAFKA_DIR ?? join(REPO_ROOT, '.kafka'));
export const LIB_DIR = join(STATE_DIR, 'lib');
export const CLUSTERS_DIR = join(STATE_DIR, 'clusters');
export const POM = join(TOOLS_DIR, 'pom.xml');
export const LOG4J_CONFIG = join(TOOLS_DIR, 'log4j2.properties');

/**
 * Uncommon fixed base so the harness never collides with a user's own Kafka on 9092;
 * OTLP_KAFKA_BASE_PORT moves the default cluster (CLI and test global setup).
 */
export const DEFAULT_BASE_PORT = Number(process.env.OTLP_KAFKA_BASE_PORT ?? 39092);
/** Controller listeners sit this far above the broker listeners. */
export const CONTROLLER_PORT_OFFSET = 100;
export const MAX_NODES = 9;

export const clusterDir = (basePort) => join(CLUSTERS_DIR, String(basePort));
export const nodeDir = (basePort, id) => join(clusterDir(basePort), `node-${id}`);
export const brokerPort = (basePort, id) => basePort + id;
export const controllerPort = (basePort, id) => basePort + CONTROLLER_PORT_OFFSET + id;
export const bootstrapServers = (basePort, nodes) =>
  Array.from({ length: nodes }, (_, id) => `127.0.0.1:${brokerPort(basePort, id)}`).join(',');
