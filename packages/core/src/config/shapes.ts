import { z } from 'zod';

// Config blocks several component packages share, in the Collector's names:
// one TLS/auth shape for every Kafka component, the OTLP server and client TLS.

export const tlsServerConfig = z.strictObject({
  cert_file: z.string().min(1),
  key_file: z.string().min(1),
  client_ca_file: z.string().optional(),
  ca_file: z.string().optional(),
});

export const tlsClientConfig = z.strictObject({
  insecure: z.boolean().optional(),
  insecure_skip_verify: z.boolean().optional(),
  ca_file: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
  ca_pem: z.string().optional(),
  cert_pem: z.string().optional(),
  key_pem: z.string().optional(),
  server_name_override: z.string().optional(),
});

/** librdkafka TLS: no server-name override (it verifies against the broker's advertised host). */
export const kafkaTlsConfig = z.strictObject({
  insecure: z.boolean().optional(),
  insecure_skip_verify: z.boolean().optional(),
  ca_file: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
  ca_pem: z.string().optional(),
  cert_pem: z.string().optional(),
  key_pem: z.string().optional(),
});

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

export const kafkaEncodingConfig = z.enum(['otlp_proto', 'otlp_json'], {
  error: () => 'supported encodings are otlp_proto and otlp_json',
});

export const librdkafkaConfig = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** The Collector's kafka `tls` block (or `auth.tls`, which wins): present means TLS on unless `insecure: true`. */
export function kafkaTlsOf(
  tls: z.output<typeof kafkaTlsConfig> | undefined,
  auth: z.output<typeof kafkaAuthConfig> | undefined,
) {
  const t = auth?.tls ?? tls;
  return t
    ? {
        caFile: t.ca_file,
        certFile: t.cert_file,
        keyFile: t.key_file,
        ca: t.ca_pem,
        cert: t.cert_pem,
        key: t.key_pem,
        insecureSkipVerify: t.insecure_skip_verify,
        insecure: t.insecure ?? false,
      }
    : undefined;
}
