import { idempotenceOf, type ResolvedOptions } from '../options.js';
import type { RdConfig } from './rdkafka.js';

/** The connection part, shared by the producer and the admin client. */
export interface ResolvedConnection {
  brokers: readonly string[];
  clientId: string;
  tls?: { enabled?: boolean | undefined; caFile?: string | undefined; certFile?: string | undefined; keyFile?: string | undefined; insecureSkipVerify: boolean } | undefined;
  sasl?: { mechanism: string; username: string; password: string } | undefined;
  librdkafka: Readonly<Record<string, string | number | boolean>>;
}

/** bootstrap.servers, client.id, security.protocol, ssl.* and sasl.* from the options. */
export function connectionConfig(c: ResolvedConnection): RdConfig {
  const config: RdConfig = {
    'bootstrap.servers': c.brokers.join(','),
    'client.id': c.clientId,
  };
  const tls = c.tls !== undefined && c.tls.enabled !== false;
  if (c.sasl) config['security.protocol'] = tls ? 'sasl_ssl' : 'sasl_plaintext';
  else if (tls) config['security.protocol'] = 'ssl';
  if (tls && c.tls) {
    if (c.tls.caFile) config['ssl.ca.location'] = c.tls.caFile;
    if (c.tls.certFile) config['ssl.certificate.location'] = c.tls.certFile;
    if (c.tls.keyFile) config['ssl.key.location'] = c.tls.keyFile;
    if (c.tls.insecureSkipVerify) {
      config['enable.ssl.certificate.verification'] = false;
      config['ssl.endpoint.identification.algorithm'] = 'none';
    }
  }
  if (c.sasl) {
    config['sasl.mechanisms'] = c.sasl.mechanism;
    config['sasl.username'] = c.sasl.username;
    config['sasl.password'] = c.sasl.password;
  }
  return config;
}

/**
 * The producer's librdkafka configuration. The queue bounds are set a little
 * above the exporter's own budget (which counts key and header bytes too), so
 * the exporter refuses with backpressure before librdkafka does.
 */
export function producerConfig(o: ResolvedOptions): RdConfig {
  const p = o.producer;
  const config: RdConfig = {
    ...connectionConfig(o),
    acks: p.requiredAcks,
    'enable.idempotence': idempotenceOf(o),
    'compression.codec': p.compression,
    'message.max.bytes': p.maxMessageBytes,
    // A produce request's record batch must not exceed what one message may be.
    'batch.size': Math.min(1_000_000, p.maxMessageBytes),
    'batch.num.messages': p.flushMaxMessages,
    'linger.ms': p.lingerMs,
    'message.timeout.ms': p.messageTimeoutMs,
    'queue.buffering.max.messages': p.queueMaxMessages + QUEUE_HEADROOM_MESSAGES,
    'queue.buffering.max.kbytes': p.queueMaxKbytes + QUEUE_HEADROOM_KBYTES,
  };
  return { ...config, ...o.librdkafka };
}

export const QUEUE_HEADROOM_MESSAGES = 1024;
export const QUEUE_HEADROOM_KBYTES = 1024;
