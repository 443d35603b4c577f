import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clientConfig } from '../src/librdkafka-config.js';
import { connectionShape } from '../src/connection.js';
import { connectionOfConfig, connectionOfSection, kafkaConnectionConfig } from '../src/yaml.js';

const resolve = z.strictObject(connectionShape({ clientId: 'c', connectTimeoutMs: 1 }));
const librdkafkaOf = (section: unknown) => clientConfig(resolve.parse(connectionOfSection(section)));
const parse = (yaml: unknown) => z.strictObject(kafkaConnectionConfig).parse(yaml);

describe("the Collector's kafka connection keys", () => {
  it('map brokers (list or comma string), client_id and librdkafka pass-through', () => {
    expect(
      connectionOfConfig(parse({ brokers: 'a:1, b:2', client_id: 'x', librdkafka: { acks: 1 } })),
    ).toEqual({ brokers: ['a:1', 'b:2'], clientId: 'x', librdkafka: { acks: 1 } });
    expect(connectionOfConfig(parse({}))).toEqual({});
  });

  it('auth.sasl over auth.tls is sasl_ssl; auth.tls wins over tls', () => {
    const c = librdkafkaOf({
      auth: {
        sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' },
        tls: { ca_file: '/ca.pem' },
      },
      tls: { ca_file: '/other.pem' },
    });
    expect(c['security.protocol']).toBe('sasl_ssl');
    expect(c['sasl.mechanisms']).toBe('SCRAM-SHA-256');
    expect(c['sasl.username']).toBe('u');
    expect(c['ssl.ca.location']).toBe('/ca.pem');
  });

  it('a tls block means TLS unless insecure: true; SASL alone is sasl_plaintext', () => {
    expect(librdkafkaOf({ tls: {} })['security.protocol']).toBe('ssl');
    expect(librdkafkaOf({ tls: { insecure: true } })['security.protocol']).toBeUndefined();
    expect(
      librdkafkaOf({ auth: { sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' } } })[
        'security.protocol'
      ],
    ).toBe('sasl_plaintext');
    const skip = librdkafkaOf({ tls: { insecure_skip_verify: true, cert_pem: 'C', key_pem: 'K' } });
    expect(skip['enable.ssl.certificate.verification']).toBe(false);
    expect(skip['ssl.certificate.pem']).toBe('C');
    expect(skip['ssl.key.pem']).toBe('K');
  });

  it("reads a component's whole section, ignoring its other keys, and refuses a wrong connection key", () => {
    expect(connectionOfSection({ brokers: ['k:9'], topic: 't', producer: { compression: 'lz4' } })).toEqual({
      brokers: ['k:9'],
    });
    expect(() => connectionOfSection({ auth: { sasl: { mechanism: 'GSSAPI' } } })).toThrow(/mechanism/);
    expect(() => connectionOfSection({ tls: { server_name_override: 'b' } })).toThrow(/server_name_override/);
  });
});
