// The local Kafka harness lives in tools/kafka/harness.mjs (plain ESM shared with the
// `npm run kafka` CLI); this is its single import point inside testkit.
export {
  DEFAULT_BASE_PORT,
  HarnessError,
  clusterStatus,
  killClusterSync,
  killNode,
  reapOrphans,
  releaseLease,
  resetCluster,
  restartNode,
  startCluster,
  stopNode,
} from '../../../../tools/kafka/harness.mjs';
export type { SecureEndpoints, SecureUser } from '../../../../tools/kafka/harness.mjs';
