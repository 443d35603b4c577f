import { parseOptions } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  connectionShape,
  normalizeBrokers,
  type KafkaConnectionOptions,
  type OwnedKey,
} from '../src/connection.js';
import { clientConfig, connectionConfig } from '../src/librdkafka-config.js';

const OWNED: OwnedKey[] = [
  {
    key: 'enable.auto.offset.store',
    reason: 'must stay false: offsets are stored only when delivered',
    allowed: [false],
  },
  { key: 'acks', reason: 'is set by producer.requiredAcks' },
];
const schema = z.strictObject(connectionShape({ clientId: 'default-id', connectTimeoutMs: 1234 }, OWNED));
const parse = (o: KafkaConnectionOptions) => parseOptions('test', schema, o);
const config = (o: KafkaConnectionOptions) => connectionConfig(parse(o));

describe('connection options', () => {
  it("defaults: localhost, the component's client id and connect timeout, plaintext, no pass-through", () => {
    const o = parse({});
    expect(o).toMatchObject({
      brokers: ['localhost:9092'],
      clientId: 'default-id',
      connectTimeoutMs: 1234,
      librdkafka: {},
    });
    expect(connectionConfig(o)).toEqual({ 'bootstrap.servers': 'localhost:9092', 'client.id': 'default-id' });
  });

  it('takes brokers as a list or a comma-separated string, normalised once', () => {
    expect(parse({ brokers: 'a:1, b:2,,' }).brokers).toEqual(['a:1', 'b:2']);
    expect(parse({ brokers: [' a:1', 'b:2'] }).brokers).toEqual(['a:1', 'b:2']);
    expect(normalizeBrokers('x:1')).toEqual(['x:1']);
    expect(config({ brokers: ['h1:9092', 'h2:9092'], clientId: 'c' })).toEqual({
      'bootstrap.servers': 'h1:9092,h2:9092',
      'client.id': 'c',
    });
    expect(() => parse({ brokers: ' , ' })).toThrow(/brokers: at least one broker/);
    expect(() => parse({ brokers: [] })).toThrow(/brokers/);
  });

  it('maps TLS files to ssl.*.location, and insecureSkipVerify to no verification at all', () => {
    expect(
      config({ tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', insecureSkipVerify: true } }),
    ).toEqual({
      'bootstrap.servers': 'localhost:9092',
      'client.id': 'default-id',
      'security.protocol': 'ssl',
      'ssl.ca.location': '/ca.pem',
      'ssl.certificate.location': '/c.pem',
      'ssl.key.location': '/k.pem',
      'enable.ssl.certificate.verification': false,
      'ssl.endpoint.identification.algorithm': 'none',
    });
  });

  it('maps inline PEM to ssl.*.pem and the key password', () => {
    expect(
      config({ tls: { ca: 'CA-PEM', cert: 'CERT-PEM', key: 'KEY-PEM', keyPassword: 'secret' } }),
    ).toMatchObject({
      'security.protocol': 'ssl',
      'ssl.ca.pem': 'CA-PEM',
      'ssl.certificate.pem': 'CERT-PEM',
      'ssl.key.pem': 'KEY-PEM',
      'ssl.key.password': 'secret',
    });
    expect(() => parse({ tls: { caFile: '/ca.pem', ca: 'CA-PEM' } })).toThrow(
      /tls\.ca: give caFile or ca, not both/,
    );
  });

  it("an empty tls object means TLS; enabled: false and the Collector's insecure: true mean plaintext", () => {
    expect(config({ tls: {} })['security.protocol']).toBe('ssl');
    expect(config({ tls: { enabled: true } })['security.protocol']).toBe('ssl');
    for (const tls of [
      { enabled: false, caFile: '/ca.pem' },
      { insecure: true, caFile: '/ca.pem' },
    ]) {
      const c = config({ tls });
      expect(c['security.protocol']).toBeUndefined();
      expect(c['ssl.ca.location']).toBeUndefined();
    }
    expect(() => parse({ tls: { enabled: true, insecure: true } })).toThrow(
      /tls\.insecure: contradicts enabled: true/,
    );
  });

  it('maps SASL PLAIN and SCRAM over plaintext or TLS', () => {
    expect(config({ sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' } })).toMatchObject({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': 'PLAIN',
      'sasl.username': 'u',
      'sasl.password': 'p',
    });
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
      expect(
        config({ sasl: { mechanism, username: 'u', password: 'p' }, tls: { caFile: '/ca.pem' } }),
      ).toMatchObject({
        'security.protocol': 'sasl_ssl',
        'sasl.mechanisms': mechanism,
        'sasl.username': 'u',
        'sasl.password': 'p',
        'ssl.ca.location': '/ca.pem',
      });
    }
    expect(
      config({ sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' }, tls: { insecure: true } })[
        'security.protocol'
      ],
    ).toBe('sasl_plaintext');
    expect(() => parse({ sasl: { mechanism: 'PLAIN', username: '', password: 'p' } })).toThrow(
      /sasl\.username/,
    );
    expect(() => parse({ sasl: { mechanism: 'GSSAPI', username: 'u', password: 'p' } as never })).toThrow(
      /sasl\.mechanism/,
    );
  });

  it("maps OAUTHBEARER: librdkafka's OIDC client", () => {
    const c = config({
      tls: {},
      sasl: {
        mechanism: 'OAUTHBEARER',
        oidc: {
          tokenEndpointUrl: 'https://idp.example/oauth2/token',
          clientId: 'collector',
          clientSecret: 's3cret',
          scope: 'kafka',
          extensions: { logicalCluster: 'lkc-1', identityPoolId: 'pool-2' },
        },
      },
    });
    expect(c).toEqual({
      'bootstrap.servers': 'localhost:9092',
      'client.id': 'default-id',
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'OAUTHBEARER',
      'sasl.oauthbearer.method': 'oidc',
      'sasl.oauthbearer.token.endpoint.url': 'https://idp.example/oauth2/token',
      'sasl.oauthbearer.client.id': 'collector',
      'sasl.oauthbearer.client.secret': 's3cret',
      'sasl.oauthbearer.scope': 'kafka',
      'sasl.oauthbearer.extensions': 'logicalCluster=lkc-1,identityPoolId=pool-2',
    });
    expect(c['sasl.username']).toBeUndefined();
  });

  it('maps OAUTHBEARER: sasl.oauthbearer.config and the unsecured JWT builder', () => {
    expect(
      config({
        sasl: { mechanism: 'OAUTHBEARER', config: 'principal=admin scope=write', unsecuredJwt: true },
      }),
    ).toEqual({
      'bootstrap.servers': 'localhost:9092',
      'client.id': 'default-id',
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': 'OAUTHBEARER',
      'sasl.oauthbearer.config': 'principal=admin scope=write',
      'enable.sasl.oauthbearer.unsecure.jwt': true,
    });
    expect(() =>
      parse({
        sasl: {
          mechanism: 'OAUTHBEARER',
          unsecuredJwt: true,
          oidc: { tokenEndpointUrl: 'https://i/t', clientId: 'c', clientSecret: 's' },
        },
      }),
    ).toThrow(/oidc and unsecuredJwt are exclusive/);
    expect(() =>
      parse({
        sasl: {
          mechanism: 'OAUTHBEARER',
          oidc: { tokenEndpointUrl: 'not a url', clientId: 'c', clientSecret: 's' },
        },
      }),
    ).toThrow(/sasl\.oidc\.tokenEndpointUrl/);
    expect(() => parse({ sasl: { mechanism: 'OAUTHBEARER', username: 'u' } as never })).toThrow(
      /username|Unrecognized/i,
    );
  });

  it('refuses pass-through properties the component owns, naming them and what to use', () => {
    expect(() => parse({ librdkafka: { acks: 1 } })).toThrow(
      /librdkafka\.acks: acks is set by producer\.requiredAcks/,
    );
    expect(() => parse({ librdkafka: { 'enable.auto.offset.store': true } })).toThrow(
      /enable\.auto\.offset\.store must stay false/,
    );
    expect(() => parse({ librdkafka: { 'enable.auto.offset.store': 'true' } })).toThrow(
      /enable\.auto\.offset\.store must stay false/,
    );
    // The value the component sets anyway changes nothing, so it is accepted.
    expect(parse({ librdkafka: { 'enable.auto.offset.store': 'false' } }).librdkafka).toEqual({
      'enable.auto.offset.store': 'false',
    });
  });

  it('orders the client configuration: connection, own properties, pass-through, forced', () => {
    const o = parse({
      clientId: 'c',
      librdkafka: { 'linger.ms': 50, 'client.id': 'override', 'statistics.interval.ms': 1000 },
    });
    expect(
      clientConfig(
        o,
        { 'linger.ms': 5, 'enable.auto.offset.store': false },
        { 'enable.auto.offset.store': false },
      ),
    ).toEqual({
      'bootstrap.servers': 'localhost:9092',
      'client.id': 'override',
      'linger.ms': 50,
      'statistics.interval.ms': 1000,
      'enable.auto.offset.store': false,
    });
  });

  it('refuses unknown options', () => {
    expect(() => parse({ broker: 'a:1' } as never)).toThrow(/unrecognized key.*broker/i);
    expect(() => parse({ tls: { serverName: 'x' } } as never)).toThrow(/unrecognized key.*serverName/i);
  });
});
