import { parseOptions } from '@otlp-kafka/core';
import { z } from 'zod';
import {
  connectionShape,
  type KafkaConnectionOptions,
  type LibrdkafkaConfig,
  type ResolvedConnection,
} from './connection.js';

/** Whether the options ask for TLS: a `tls` object, not switched off by `enabled: false` or `insecure: true`. */
export function tlsEnabled(c: Pick<ResolvedConnection, 'tls'>): boolean {
  return c.tls !== undefined && c.tls.enabled !== false && c.tls.insecure !== true;
}

/** bootstrap.servers, client.id, security.protocol, ssl.* and sasl.* from the connection options. */
export function connectionConfig(
  c: Omit<ResolvedConnection, 'librdkafka' | 'connectTimeoutMs'>,
): LibrdkafkaConfig {
  const config: LibrdkafkaConfig = { 'bootstrap.servers': c.brokers.join(','), 'client.id': c.clientId };
  const tls = tlsEnabled(c);
  if (c.sasl) config['security.protocol'] = tls ? 'sasl_ssl' : 'sasl_plaintext';
  else if (tls) config['security.protocol'] = 'ssl';
  const t = c.tls;
  if (tls && t) {
    if (t.caFile) config['ssl.ca.location'] = t.caFile;
    if (t.ca) config['ssl.ca.pem'] = t.ca;
    if (t.certFile) config['ssl.certificate.location'] = t.certFile;
    if (t.cert) config['ssl.certificate.pem'] = t.cert;
    if (t.keyFile) config['ssl.key.location'] = t.keyFile;
    if (t.key) config['ssl.key.pem'] = t.key;
    if (t.keyPassword !== undefined) config['ssl.key.password'] = t.keyPassword;
    if (t.insecureSkipVerify) {
      config['enable.ssl.certificate.verification'] = false;
      config['ssl.endpoint.identification.algorithm'] = 'none';
    }
  }
  const s = c.sasl;
  if (s) {
    config['sasl.mechanisms'] = s.mechanism;
    if (s.mechanism === 'OAUTHBEARER') {
      if (s.config !== undefined) config['sasl.oauthbearer.config'] = s.config;
      if (s.unsecuredJwt) config['enable.sasl.oauthbearer.unsecure.jwt'] = true;
      if (s.oidc) {
        config['sasl.oauthbearer.method'] = 'oidc';
        config['sasl.oauthbearer.token.endpoint.url'] = s.oidc.tokenEndpointUrl;
        config['sasl.oauthbearer.client.id'] = s.oidc.clientId;
        config['sasl.oauthbearer.client.secret'] = s.oidc.clientSecret;
        if (s.oidc.scope !== undefined) config['sasl.oauthbearer.scope'] = s.oidc.scope;
        const ext = Object.entries(s.oidc.extensions ?? {});
        if (ext.length > 0)
          config['sasl.oauthbearer.extensions'] = ext.map(([k, v]) => `${k}=${v}`).join(',');
      }
    } else {
      config['sasl.username'] = s.username;
      config['sasl.password'] = s.password;
    }
  }
  return config;
}

/**
 * A client's whole librdkafka configuration, in the one order every client
 * uses: connection, then the component's own properties, then the user's
 * pass-through, then `forced` (what a component's guarantees rest on).
 */
export function clientConfig(
  c: ResolvedConnection,
  own: LibrdkafkaConfig = {},
  forced: LibrdkafkaConfig = {},
): LibrdkafkaConfig {
  return { ...connectionConfig(c), ...own, ...c.librdkafka, ...forced };
}

const anyConnection = z.strictObject(connectionShape({ clientId: 'otlp-kafka', connectTimeoutMs: 1 }));

/** The security.protocol librdkafka will use for these options ('plaintext' when nothing asks for TLS or SASL). */
export function securityProtocolOf(options: KafkaConnectionOptions): string {
  const config = clientConfig(parseOptions('securityProtocolOf', anyConnection, options));
  return String(config['security.protocol'] ?? 'plaintext');
}
