import { parseOptions } from '@otlp-kafka/core';
import { z } from 'zod';
import { connectionShape, type KafkaConnectionOptions } from './connection.js';
import { explainConnectFailures } from './connect-failure.js';
import { clientConfig } from './librdkafka-config.js';
import { loadKafka } from './native.js';

export const BROKER_COUNT_DEFAULTS = { clientId: 'otlp-kafka', connectTimeoutMs: 15_000 } as const;

const schema = z.strictObject(connectionShape(BROKER_COUNT_DEFAULTS));

/** How many brokers the cluster has (from a metadata request), e.g. to cap replication factors on small clusters. */
export async function brokerCount(options: KafkaConnectionOptions = {}): Promise<number> {
  const o = parseOptions('brokerCount', schema, options);
  const kafka = await loadKafka();
  const timeout = o.connectTimeoutMs;
  // Log level 3: librdkafka only logs why a broker refused the credentials or the TLS handshake.
  const producer = explainConnectFailures(new kafka.Producer(clientConfig(o, { log_level: 3 })));
  await new Promise<void>((resolve, reject) =>
    producer.connect({ timeout }, (err) =>
      err ? reject(new Error(`cannot reach Kafka at ${o.brokers.join(',')}: ${err.message}`)) : resolve(),
    ),
  );
  try {
    const md = await new Promise<{ brokers: unknown[] }>((resolve, reject) =>
      producer.getMetadata({ timeout }, (err, data) => (err ? reject(err) : resolve(data))),
    );
    return md.brokers.length;
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}
