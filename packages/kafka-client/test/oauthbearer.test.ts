// OAUTHBEARER from the YAML kafka sections (auth.sasl) down to librdkafka's properties.
// No broker: librdkafka's OIDC client and unsecured JWT builder are its own.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectionShape } from '../src/connection.js';
import { clientConfig } from '../src/librdkafka-config.js';
import { connectionOfSection, kafkaConnectionConfig } from '../src/yaml.js';

const resolve = z.strictObject(connectionShape({ clientId: 'c', connectTimeoutMs: 1 }));
const librdkafkaOf = (section: unknown) => clientConfig(resolve.parse(connectionOfSection(section)));
const issues = (section: unknown) =>
  z
    .strictObject(kafkaConnectionConfig)
    .safeParse(section)
    .error?.issues.map((i) => [i.path.join('.'), i.message]);

describe('OAUTHBEARER in a kafka section', () => {
  it("auth.sasl.oidc is librdkafka's OIDC token client over TLS", () => {
    const c = librdkafkaOf({
      brokers: ['broker.example:9093'],
      auth: {
        sasl: {
          mechanism: 'OAUTHBEARER',
          oidc: {
            token_endpoint_url: 'https://idp.example/oauth2/token',
            client_id: 'otel-agent',
            client_secret: 's3cret',
            scope: 'kafka',
            extensions: { logicalCluster: 'lkc-1', identityPoolId: 'pool-2' },
          },
        },
        tls: { ca_file: '/etc/ssl/ca.pem' },
      },
    });
    expect(c).toEqual({
      'bootstrap.servers': 'broker.example:9093',
      'client.id': 'c',
      'security.protocol': 'sasl_ssl',
      'ssl.ca.location': '/etc/ssl/ca.pem',
      'sasl.mechanisms': 'OAUTHBEARER',
      'sasl.oauthbearer.method': 'oidc',
      'sasl.oauthbearer.token.endpoint.url': 'https://idp.example/oauth2/token',
      'sasl.oauthbearer.client.id': 'otel-agent',
      'sasl.oauthbearer.client.secret': 's3cret',
      'sasl.oauthbearer.scope': 'kafka',
      'sasl.oauthbearer.extensions': 'logicalCluster=lkc-1,identityPoolId=pool-2',
    });
    expect(c['sasl.username']).toBeUndefined();
  });

  it('unsecured_jwt with config is the unsecured JWT builder (test clusters)', () => {
    const c = librdkafkaOf({
      auth: {
        sasl: { mechanism: 'OAUTHBEARER', unsecured_jwt: true, config: 'principal=admin scope=write' },
      },
    });
    expect(c).toMatchObject({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': 'OAUTHBEARER',
      'enable.sasl.oauthbearer.unsecure.jwt': true,
      'sasl.oauthbearer.config': 'principal=admin scope=write',
    });
    expect(c['sasl.oauthbearer.method']).toBeUndefined();
  });

  it('refuses OAUTHBEARER without a token source, both sources, password keys, and a bad endpoint', () => {
    expect(issues({ auth: { sasl: { mechanism: 'OAUTHBEARER' } } })).toEqual([
      [
        'auth.sasl.oidc',
        'OAUTHBEARER needs a token source: oidc (token_endpoint_url, client_id, client_secret) or unsecured_jwt: true',
      ],
    ]);
    const oidc = { token_endpoint_url: 'https://idp/token', client_id: 'a', client_secret: 'b' };
    expect(issues({ auth: { sasl: { mechanism: 'OAUTHBEARER', oidc, unsecured_jwt: true } } })).toEqual([
      ['auth.sasl.unsecured_jwt', 'oidc and unsecured_jwt are exclusive'],
    ]);
    expect(
      issues({ auth: { sasl: { mechanism: 'OAUTHBEARER', oidc, username: 'u', password: 'p' } } })?.map(
        ([path]) => path,
      ),
    ).toEqual(['auth.sasl']);
    expect(
      issues({
        auth: { sasl: { mechanism: 'OAUTHBEARER', oidc: { ...oidc, token_endpoint_url: 'not a url' } } },
      })?.[0]?.[0],
    ).toBe('auth.sasl.oidc.token_endpoint_url');
  });

  it('password mechanisms are unchanged', () => {
    expect(
      librdkafkaOf({ auth: { sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' } } }),
    ).toMatchObject({ 'sasl.mechanisms': 'SCRAM-SHA-512', 'sasl.username': 'u', 'sasl.password': 'p' });
    expect(issues({ auth: { sasl: { mechanism: 'GSSAPI', username: 'u', password: 'p' } } })?.[0]?.[0]).toBe(
      'auth.sasl.mechanism',
    );
  });
});
