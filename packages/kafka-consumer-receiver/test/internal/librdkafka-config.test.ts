import { describe, expect, it } from 'vitest';
import { parseOptions } from '@otlp-kafka/core';
import { optionsSchema, type KafkaReceiverOptions } from '../../src/options.js';
import { consumerConfig, deadLetterProducerConfig } from '../../src/internal/librdkafka-config.js';

const parse = (o: KafkaReceiverOptions) => parseOptions('test', optionsSchema, o);

describe('librdkafka configuration', () => {
  it('maps the options, stores offsets only on acknowledgement, and auto-commits only stored offsets', () => {
    const c = consumerConfig(
      parse({
        brokers: ['h1:9092', 'h2:9092'],
        groupId: 'g',
        clientId: 'c',
        groupInstanceId: 'i-1',
        initialOffset: 'earliest',
        autoCommit: { enable: true, intervalMs: 5000 },
        sessionTimeoutMs: 30_000,
        heartbeatIntervalMs: 5000,
        minFetchBytes: 10,
        maxFetchBytes: 2_000_000,
        maxPartitionFetchBytes: 500_000,
        maxFetchWaitMs: 100,
        rebalanceStrategy: 'range',
      }),
    );
    expect(c).toMatchObject({
      'bootstrap.servers': 'h1:9092,h2:9092',
      'group.id': 'g',
      'client.id': 'c',
      'group.instance.id': 'i-1',
      'auto.offset.reset': 'earliest',
      'enable.auto.commit': true,
      'auto.commit.interval.ms': 5000,
      'enable.auto.offset.store': false,
      'session.timeout.ms': 30_000,
      'heartbeat.interval.ms': 5000,
      'fetch.min.bytes': 10,
      'fetch.max.bytes': 2_000_000,
      'max.partition.fetch.bytes': 500_000,
      'fetch.wait.max.ms': 100,
      'partition.assignment.strategy': 'range',
    });
    expect(c['security.protocol']).toBeUndefined();
  });

  it('passes librdkafka properties through, but never lets offsets be stored before delivery', () => {
    const c = consumerConfig(
      parse({ librdkafka: { 'statistics.interval.ms': 1000, 'enable.auto.offset.store': false } }),
    );
    expect(c['statistics.interval.ms']).toBe(1000);
    expect(c['enable.auto.offset.store']).toBe(false);
  });

  it('raises receive.message.max.bytes for a large fetch.max.bytes', () => {
    expect(consumerConfig(parse({ maxFetchBytes: 200_000_000 }))['receive.message.max.bytes']).toBe(
      200_000_512,
    );
  });

  it('configures TLS and SASL for the consumer and the dead-letter producer alike', () => {
    const o = parse({
      tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', insecureSkipVerify: true },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' },
    });
    for (const c of [consumerConfig(o), deadLetterProducerConfig(o)]) {
      expect(c).toMatchObject({
        'security.protocol': 'sasl_ssl',
        'sasl.mechanisms': 'SCRAM-SHA-512',
        'sasl.username': 'u',
        'sasl.password': 'p',
        'ssl.ca.location': '/ca.pem',
        'ssl.certificate.location': '/c.pem',
        'ssl.key.location': '/k.pem',
        'enable.ssl.certificate.verification': false,
      });
    }
    expect(consumerConfig(parse({ tls: {} }))['security.protocol']).toBe('ssl');
    expect(consumerConfig(parse({ tls: { insecure: true } }))['security.protocol']).toBeUndefined();
    expect(
      consumerConfig(parse({ sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' } }))[
        'security.protocol'
      ],
    ).toBe('sasl_plaintext');
  });

  it('refuses pass-through of what the receiver owns, naming the option to use', () => {
    expect(() => parse({ librdkafka: { 'enable.auto.commit': false } })).toThrow(
      /librdkafka\.enable\.auto\.commit: enable\.auto\.commit is set by autoCommit\.enable/,
    );
    expect(() => parse({ librdkafka: { 'group.id': 'other' } })).toThrow(/group\.id is set by groupId/);
    expect(() => parse({ librdkafka: { 'enable.auto.offset.store': 'true' } })).toThrow(
      /enable\.auto\.offset\.store must stay false/,
    );
  });

  it('maps OAUTHBEARER, PEM and a brokers string through the shared layer, for the dead-letter producer too', () => {
    const o = parse({
      brokers: 'h1:9092, h2:9092',
      tls: { ca: 'CA-PEM' },
      sasl: { mechanism: 'OAUTHBEARER', config: 'principal=admin', unsecuredJwt: true },
    });
    for (const c of [consumerConfig(o), deadLetterProducerConfig(o)]) {
      expect(c).toMatchObject({
        'bootstrap.servers': 'h1:9092,h2:9092',
        'security.protocol': 'sasl_ssl',
        'ssl.ca.pem': 'CA-PEM',
        'sasl.mechanisms': 'OAUTHBEARER',
        'sasl.oauthbearer.config': 'principal=admin',
        'enable.sasl.oauthbearer.unsecure.jwt': true,
      });
    }
    expect(o.connectTimeoutMs).toBe(10_000);
    expect(o.clientId).toBe('otel-collector');
  });

  it('makes the dead-letter producer durable', () => {
    expect(deadLetterProducerConfig(parse({}))).toMatchObject({ acks: -1, 'enable.idempotence': true });
  });
});
