import rdkafka from '@confluentinc/kafka-javascript';

/** How many brokers the cluster has (from a metadata request), to cap replication factors on small clusters. */
export async function brokerCount(brokers: readonly string[], timeoutMs = 15_000): Promise<number> {
  const producer = new rdkafka.Producer({ 'metadata.broker.list': brokers.join(','), 'log_level': 0 });
  await new Promise<void>((resolve, reject) =>
    producer.connect({ timeout: timeoutMs }, (err) => (err ? reject(new Error(`cannot reach Kafka at ${brokers.join(',')}: ${err.message}`)) : resolve())),
  );
  try {
    const md = await new Promise<{ brokers: unknown[] }>((resolve, reject) =>
      producer.getMetadata({ timeout: timeoutMs }, (err, data) => (err ? reject(err) : resolve(data))),
    );
    return md.brokers.length;
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}
