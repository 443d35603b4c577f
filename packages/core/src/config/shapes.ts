import { z } from 'zod';

// Config blocks several component packages share, in the Collector's names:
// the OTLP server and client TLS. Kafka's blocks live in @otlp-kafka/kafka-client.

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
