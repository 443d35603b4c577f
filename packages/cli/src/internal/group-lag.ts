import { formatLagTable, groupLag as layerGroupLag, type PartitionLagRow } from '@otlp-kafka/kafka-client';

export { formatLagTable, type PartitionLagRow };

/**
 * Per-partition lag of a consumer group: the positional form this package
 * has always exported (e2e and users call it so); the work is the Kafka layer's
 * `groupLag`, which also takes TLS, SASL and librdkafka options.
 */
export function groupLag(
  brokers: readonly string[],
  groupId: string,
  topics?: readonly string[],
): Promise<PartitionLagRow[]> {
  return layerGroupLag({ brokers, groupId, ...(topics ? { topics } : {}) });
}
