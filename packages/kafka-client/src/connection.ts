import { z } from 'zod';

export type LibrdkafkaValue = string | number | boolean;
/** librdkafka configuration as handed to the native client. */
export type LibrdkafkaConfig = Record<string, LibrdkafkaValue>;

/**
 * TLS towards the brokers (Collector: `tls` / `auth.tls`). A `tls` object
 * means TLS on, unless `enabled: false` or `insecure: true` (the Collector's
 * spelling) say plaintext. Files are read by librdkafka; PEM strings are passed inline.
 */
export interface KafkaTlsOptions {
  /** Default true when a `tls` object is given. */
  enabled?: boolean;
  /** The Collector's `insecure`: true means plaintext. Default false. */
  insecure?: boolean;
  /** CA bundle file (PEM) to verify the brokers (ssl.ca.location). Default: the system's CAs. */
  caFile?: string;
  /** CA bundle as PEM text (ssl.ca.pem). */
  ca?: string;
  /** Client certificate file (PEM) for mutual TLS (ssl.certificate.location). */
  certFile?: string;
  /** Client certificate as PEM text (ssl.certificate.pem). */
  cert?: string;
  /** Client key file (PEM) for mutual TLS (ssl.key.location). */
  keyFile?: string;
  /** Client key as PEM text (ssl.key.pem). */
  key?: string;
  /** Password of an encrypted client key (ssl.key.password). */
  keyPassword?: string;
  /** Skip verifying the broker's certificate and host name. Default false. */
  insecureSkipVerify?: boolean;
}

/** SASL with a user name and password (Collector: `auth.sasl`). */
export interface KafkaSaslPasswordOptions {
  mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  username: string;
  password: string;
}

/**
 * SASL/OAUTHBEARER, configured for librdkafka: either its OIDC client
 * (client-credentials grant against `tokenEndpointUrl`, tokens refreshed by
 * librdkafka) or `config` for librdkafka's unsecured-JWT builder (sasl.oauthbearer.config).
 */
export interface KafkaSaslOauthbearerOptions {
  mechanism: 'OAUTHBEARER';
  /** sasl.oauthbearer.config, e.g. 'principal=admin scope=write' with unsecuredJwt. */
  config?: string;
  /** enable.sasl.oauthbearer.unsecure.jwt: librdkafka builds an unsigned token (test clusters only). Default false. */
  unsecuredJwt?: boolean;
  oidc?: {
    tokenEndpointUrl: string;
    clientId: string;
    clientSecret: string;
    scope?: string;
    /** Extensions sent with the token, e.g. { logicalCluster: 'lkc-1' }. */
    extensions?: Readonly<Record<string, string>>;
  };
}

export type KafkaSaslOptions = KafkaSaslPasswordOptions | KafkaSaslOauthbearerOptions;

/** Where and how to reach Kafka: the same shape in every Kafka component, the CLI and topic admin. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers: "host:port" strings, or one comma-separated string. Default ['localhost:9092']. */
  brokers?: string | readonly string[];
  /** Collector: client_id. The default depends on the component. */
  clientId?: string;
  tls?: KafkaTlsOptions;
  sasl?: KafkaSaslOptions;
  /** Bound on connecting (the first metadata request). The default depends on the component. */
  connectTimeoutMs?: number;
  /**
   * Any librdkafka property (https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md),
   * applied after what the options above set. Properties a component's
   * guarantees depend on are refused at construction, naming the option to use instead.
   */
  librdkafka?: Readonly<Record<string, LibrdkafkaValue>>;
}

export const DEFAULT_BROKERS: readonly string[] = Object.freeze(['localhost:9092']);

/** A librdkafka property a component sets itself; `allowed` values may still be given (they change nothing). */
export interface OwnedKey {
  readonly key: string;
  /** Why it may not be set, e.g. 'set producer.requiredAcks instead'. */
  readonly reason: string;
  readonly allowed?: readonly LibrdkafkaValue[];
}

/** "a,b" and ["a", "b"] alike become ["a", "b"]; blanks are dropped. */
export function normalizeBrokers(brokers: string | readonly string[]): string[] {
  const list = typeof brokers === 'string' ? brokers.split(',') : [...brokers];
  return list.map((b) => b.trim()).filter((b) => b.length > 0);
}

const brokersSchema = z
  .union([z.string(), z.array(z.string()).readonly()])
  .transform(normalizeBrokers)
  .pipe(z.array(z.string().min(1)).min(1, 'at least one broker'));

const tlsSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    insecure: z.boolean().optional(),
    caFile: z.string().min(1).optional(),
    ca: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    cert: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    keyPassword: z.string().optional(),
    insecureSkipVerify: z.boolean().default(false),
  })
  .superRefine((t, ctx) => {
    if (t.enabled === true && t.insecure === true)
      ctx.addIssue({ code: 'custom', path: ['insecure'], message: 'contradicts enabled: true' });
    for (const [file, pem] of [
      ['caFile', 'ca'],
      ['certFile', 'cert'],
      ['keyFile', 'key'],
    ] as const) {
      if (t[file] !== undefined && t[pem] !== undefined)
        ctx.addIssue({ code: 'custom', path: [pem], message: `give ${file} or ${pem}, not both` });
    }
  });

const saslSchema = z.discriminatedUnion('mechanism', [
  z.strictObject({
    mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']),
    username: z.string().min(1),
    password: z.string(),
  }),
  z
    .strictObject({
      mechanism: z.literal('OAUTHBEARER'),
      config: z.string().min(1).optional(),
      unsecuredJwt: z.boolean().default(false),
      oidc: z
        .strictObject({
          tokenEndpointUrl: z.url(),
          clientId: z.string().min(1),
          clientSecret: z.string().min(1),
          scope: z.string().min(1).optional(),
          extensions: z.record(z.string().min(1), z.string()).optional(),
        })
        .optional(),
    })
    .refine((s) => !(s.oidc && s.unsecuredJwt), {
      message: 'oidc and unsecuredJwt are exclusive',
      path: ['unsecuredJwt'],
    }),
]);

const librdkafkaValue = z.union([z.string(), z.number(), z.boolean()]);

/** The pass-through record, refusing the properties the component owns. */
export function librdkafkaSchema(owned: readonly OwnedKey[] = []) {
  return z.record(z.string().min(1), librdkafkaValue).superRefine((r, ctx) => {
    for (const o of owned) {
      if (!(o.key in r)) continue;
      const v = r[o.key]!;
      if (o.allowed?.some((a) => String(a) === String(v))) continue;
      ctx.addIssue({ code: 'custom', path: [o.key], message: `${o.key} ${o.reason}` });
    }
  });
}

/**
 * The connection options' zod shape, to spread into a component's strict
 * options schema. Defaults that differ between components are parameters.
 */
export function connectionShape(
  defaults: { clientId: string; connectTimeoutMs: number },
  owned: readonly OwnedKey[] = [],
) {
  return {
    brokers: brokersSchema.default([...DEFAULT_BROKERS]),
    clientId: z.string().min(1).default(defaults.clientId),
    tls: tlsSchema.optional(),
    sasl: saslSchema.optional(),
    connectTimeoutMs: z.number().int().positive().default(defaults.connectTimeoutMs),
    librdkafka: librdkafkaSchema(owned).default({}),
  };
}

/** Connection options after validation (brokers normalised, defaults filled). */
export type ResolvedConnection = z.output<z.ZodObject<ReturnType<typeof connectionShape>>>;
