import { defined, tlsClientConfig } from '@otlp-kafka/core';
import { z } from 'zod';
import type { KafkaConnectionOptions } from './connection.js';
import { KAFKA_ENCODINGS } from './topics.js';

// The Collector's YAML blocks for a Kafka connection (snake_case), shared by the
// kafka exporter, the kafka receiver and the CLI's `topics` and `lag`, and the
// one mapping from them to the connection options of this package.

/** The Collector's client TLS block without a server-name override (librdkafka verifies against the broker's advertised host). */
export const kafkaTlsConfig = tlsClientConfig.omit({ server_name_override: true });

const passwordSaslConfig = z.strictObject({
  mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']),
  username: z.string(),
  password: z.string(),
});

/**
 * OAUTHBEARER (not in the Collector's kafka auth, which has only AWS MSK IAM): librdkafka's
 * OIDC client-credentials token client (`oidc`), or its unsecured JWT builder for test
 * clusters (`unsecured_jwt: true`, claims in `config`). One of the two is required:
 * without a token source librdkafka never authenticates.
 */
const oauthbearerSaslConfig = z
  .strictObject({
    mechanism: z.literal('OAUTHBEARER'),
    config: z.string().min(1).optional(),
    unsecured_jwt: z.boolean().optional(),
    oidc: z
      .strictObject({
        token_endpoint_url: z.url(),
        client_id: z.string().min(1),
        client_secret: z.string().min(1),
        scope: z.string().min(1).optional(),
        extensions: z.record(z.string().min(1), z.string()).optional(),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    if (s.oidc && s.unsecured_jwt)
      ctx.addIssue({
        code: 'custom',
        path: ['unsecured_jwt'],
        message: 'oidc and unsecured_jwt are exclusive',
      });
    if (!s.oidc && s.unsecured_jwt !== true)
      ctx.addIssue({
        code: 'custom',
        path: ['oidc'],
        message:
          'OAUTHBEARER needs a token source: oidc (token_endpoint_url, client_id, client_secret) or unsecured_jwt: true',
      });
  });

export const kafkaAuthConfig = z.strictObject({
  sasl: z.discriminatedUnion('mechanism', [passwordSaslConfig, oauthbearerSaslConfig]).optional(),
  tls: kafkaTlsConfig.optional(),
});

type SaslConfig = z.output<typeof kafkaAuthConfig>['sasl'];

function saslOfConfig(s: SaslConfig): KafkaConnectionOptions['sasl'] {
  if (s === undefined || s.mechanism !== 'OAUTHBEARER') return s;
  return defined({
    mechanism: s.mechanism,
    config: s.config,
    unsecuredJwt: s.unsecured_jwt,
    oidc: s.oidc
      ? defined({
          tokenEndpointUrl: s.oidc.token_endpoint_url,
          clientId: s.oidc.client_id,
          clientSecret: s.oidc.client_secret,
          scope: s.oidc.scope,
          extensions: s.oidc.extensions,
        })
      : undefined,
  });
}

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
    sasl: saslOfConfig(c.auth?.sasl),
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
