import { z } from 'zod';

/** `grpc:` with no value in YAML means "enabled, defaults". */
export const section = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? {} : v), schema);

export const tlsServer = z.strictObject({
  cert_file: z.string().min(1),
  key_file: z.string().min(1),
  client_ca_file: z.string().optional(),
  ca_file: z.string().optional(),
});

export const tlsClient = z.strictObject({
  insecure: z.boolean().optional(),
  insecure_skip_verify: z.boolean().optional(),
  ca_file: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
  server_name_override: z.string().optional(),
});

/** librdkafka TLS: no server-name override (it verifies against the broker's advertised host). */
export const kafkaTls = z.strictObject({
  insecure: z.boolean().optional(),
  insecure_skip_verify: z.boolean().optional(),
  ca_file: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
});

export const kafkaAuth = z.strictObject({
  sasl: z
    .strictObject({
      mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']),
      username: z.string(),
      password: z.string(),
    })
    .optional(),
  tls: kafkaTls.optional(),
});

export const brokers = z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]).transform((b) =>
  Array.isArray(b) ? b : b.split(',').map((s) => s.trim()),
);

export const kafkaEncoding = z.enum(['otlp_proto', 'otlp_json'], {
  error: () => 'supported encodings are otlp_proto and otlp_json',
});
