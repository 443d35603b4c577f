import { defined, tlsClientConfig } from '@otlp-kafka/core';
import { z } from 'zod';
import type { KafkaConnectionOptions } from './connection.js';
import { KAFKA_ENCODINGS } from './topics.js';

// The Collector's YAML blocks for a Kafka connection (snake_case), shared by the
// kafka exporter, the kafka receiver and the CLI's `topics` and `lag`, and the
// one mapping from them to the connection options of this package.

/** The Collector's client TLS block without a server-name override (librdkafka verifies against the broker's advertised host). */
export const kafkaTlsConfig = tlsClientConfig.omit({ server_name_override: true });

export const kafkaAuthConfig = z.strictObject({
  sasl: z
    .strictObject({
      mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']),
      username: z.string(),
      password: z.string(),
    })
    .optional(),
  tls: kafkaTlsConfig.optional(),
});

export const kafkaBrokersConfig = z
  .union([z.array(z.string().min(1)).min(1), z.string().min(1)])
  .transform((b) => (Array.isArray(b) ? b : b.split(',').map((s) => s.trim())));

export const kafkaEncodingConfig = z.enum(KAFKA_ENCODINGS, {
  error: () => `supported encodings are ${KAFKA_ENCODINGS.join(' and ')}`,
});

export const librdkafkaConfig = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** The connection keys of a kafka component's YAML section, to spread into its strict schema. */
export const kafkaConnectionConfig = {
  brokers: kafkaBrokersConfig.optional(),
  client_id: z.string().optional(),
  tls: kafkaTlsConfig.optional(),
  auth: kafkaAuthConfig.optional(),
  librdkafka: librdkafkaConfig.optional(),
};

export type KafkaConnectionConfig = z.output<z.ZodObject<typeof kafkaConnectionConfig>>;

/**
 * A kafka section's connection keys as connection options. The Collector's
 * `tls` block (or `auth.tls`, which wins) means TLS on unless `insecure: true`.
 */
export function connectionOfConfig(c: KafkaConnectionConfig): KafkaConnectionOptions {
  const t = c.auth?.tls ?? c.tls;
  const tls = t
    ? defined({
        caFile: t.ca_file,
        certFile: t.cert_file,
        keyFile: t.key_file,
        ca: t.ca_pem,
        cert: t.cert_pem,
        key: t.key_pem,
        insecureSkipVerify: t.insecure_skip_verify,
        insecure: t.insecure ?? false,
      })
    : undefined;
  return defined({
    brokers: c.brokers,
    clientId: c.client_id,
    tls,
    sasl: c.auth?.sasl,
    librdkafka: c.librdkafka,
  });
}

/**
 * The connection of any validated kafka section (an exporter's or a receiver's):
 * its connection keys are read, the rest ignored. Sections come validated by
 * their factory, so a failure here is a programming error and throws.
 */
export function connectionOfSection(section: unknown): KafkaConnectionOptions {
  return connectionOfConfig(z.looseObject(kafkaConnectionConfig).parse(section));
}
