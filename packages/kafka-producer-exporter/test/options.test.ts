import { parseOptions } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { producerConfig } from '../src/internal/rdkafka-config.js';
import { defaultTopic, idempotenceOf, optionsSchema, type KafkaExporterOptions } from '../src/options.js';

const parse = (o: KafkaExporterOptions | undefined) =>
  parseOptions('kafka-producer-exporter', optionsSchema, o);

describe('options', () => {
  it('defaults like the Collector: topics per signal, acks all with idempotence, 1 MB messages', () => {
    const o = parse(undefined);
    expect(o.brokers).toEqual(['localhost:9092']);
    expect(o.clientId).toBe('otlp-kafka');
    expect([defaultTopic(o, 'traces'), defaultTopic(o, 'metrics'), defaultTopic(o, 'logs')]).toEqual([
      'otlp_spans',
      'otlp_metrics',
      'otlp_logs',
    ]);
    expect(o.encoding).toBe('otlp_proto');
    expect(o.producer).toMatchObject({ requiredAcks: -1, maxMessageBytes: 1_000_000, compression: 'none' });
    expect(idempotenceOf(o)).toBe(true);
    expect(idempotenceOf(parse({ producer: { requiredAcks: 1 } }))).toBe(false);
  });

  it('a single topic overrides the per-signal topics', () => {
    const o = parse({ topic: 'all', topics: { logs: 'logs-only' } });
    expect(defaultTopic(o, 'logs')).toBe('all');
    expect(defaultTopic(parse({ topics: { logs: 'logs-only' } }), 'logs')).toBe('logs-only');
    expect(defaultTopic(parse({ topics: { logs: 'logs-only' } }), 'traces')).toBe('otlp_spans');
  });

  it.each<[string, KafkaExporterOptions, RegExp]>([
    ['acks', { producer: { requiredAcks: 2 as never } }, /producer\.requiredAcks: must be 0, 1 or -1/],
    [
      'idempotence without acks all',
      { producer: { requiredAcks: 1, enableIdempotence: true } },
      /enableIdempotence: idempotence requires requiredAcks -1/,
    ],
    [
      'both log partitionings',
      { partitionLogsByTraceId: true, partitionLogsByResourceAttributes: true },
      /mutually exclusive/,
    ],
    ['topic name', { topic: 'bad topic!' }, /topic: a Kafka topic name/],
    ['unknown option', { partitionTraceById: true } as never, /unrecognized key.*partitionTraceById/i],
    [
      'queue smaller than a message',
      { producer: { maxMessageBytes: 2_000_000, queueMaxKbytes: 1000 } },
      /queueMaxKbytes: must hold at least one message/,
    ],
    ['message size below librdkafka minimum', { producer: { maxMessageBytes: 10 } }, /maxMessageBytes/],
    ['compression', { producer: { compression: 'brotli' as never } }, /compression/],
    [
      'timeout not above linger',
      { producer: { messageTimeoutMs: 100, lingerMs: 100 } },
      /messageTimeoutMs: must be greater than lingerMs/,
    ],
  ])('rejects a bad %s, naming the option', (_name, input, message) => {
    expect(() => parse(input)).toThrow(message);
  });

  it('lower-cases the metadata header names', () => {
    expect(parse({ headersFromMetadata: ['X-Tenant'] }).headersFromMetadata).toEqual(['x-tenant']);
  });
});

describe('librdkafka configuration', () => {
  it('maps the producer options', () => {
    const c = producerConfig(
      parse({
        brokers: ['a:1', 'b:2'],
        clientId: 'agent-1',
        producer: {
          compression: 'zstd',
          maxMessageBytes: 500_000,
          flushMaxMessages: 500,
          lingerMs: 20,
          messageTimeoutMs: 15_000,
          queueMaxMessages: 1000,
          queueMaxKbytes: 4096,
        },
      }),
    );
    expect(c).toMatchObject({
      'bootstrap.servers': 'a:1,b:2',
      'client.id': 'agent-1',
      acks: -1,
      'enable.idempotence': true,
      'compression.codec': 'zstd',
      'message.max.bytes': 500_000,
      'batch.size': 500_000,
      'batch.num.messages': 500,
      'linger.ms': 20,
      'message.timeout.ms': 15_000,
    });
    // librdkafka's own bound sits above the exporter's budget, so the exporter refuses first.
    expect(c['queue.buffering.max.messages']).toBeGreaterThan(1000);
    expect(c['queue.buffering.max.kbytes']).toBeGreaterThan(4096);
    expect(c['security.protocol']).toBeUndefined();
  });

  it('maps acks 0 and 1 without idempotence', () => {
    expect(producerConfig(parse({ producer: { requiredAcks: 0 } }))).toMatchObject({
      acks: 0,
      'enable.idempotence': false,
    });
  });

  it('maps TLS and SASL', () => {
    const c = producerConfig(
      parse({
        tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', insecureSkipVerify: true },
        sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' },
      }),
    );
    expect(c).toMatchObject({
      'security.protocol': 'sasl_ssl',
      'ssl.ca.location': '/ca.pem',
      'ssl.certificate.location': '/c.pem',
      'ssl.key.location': '/k.pem',
      'enable.ssl.certificate.verification': false,
      'ssl.endpoint.identification.algorithm': 'none',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'u',
      'sasl.password': 'p',
    });
    expect(producerConfig(parse({ tls: {} }))['security.protocol']).toBe('ssl');
    expect(
      producerConfig(
        parse({ tls: { enabled: false }, sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' } }),
      )['security.protocol'],
    ).toBe('sasl_plaintext');
  });

  it('maps OAUTHBEARER and a brokers string through the shared layer', () => {
    expect(
      producerConfig(
        parse({
          brokers: 'a:1,b:2',
          tls: {},
          sasl: {
            mechanism: 'OAUTHBEARER',
            oidc: { tokenEndpointUrl: 'https://idp/t', clientId: 'c', clientSecret: 's' },
          },
        }),
      ),
    ).toMatchObject({
      'bootstrap.servers': 'a:1,b:2',
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'OAUTHBEARER',
      'sasl.oauthbearer.method': 'oidc',
      'sasl.oauthbearer.token.endpoint.url': 'https://idp/t',
      'sasl.oauthbearer.client.id': 'c',
      'sasl.oauthbearer.client.secret': 's',
    });
  });

  it('refuses pass-through of what the exporter owns', () => {
    for (const key of [
      'acks',
      'request.required.acks',
      'enable.idempotence',
      'message.max.bytes',
      'message.timeout.ms',
      'queue.buffering.max.kbytes',
    ]) {
      expect(() => parse({ librdkafka: { [key]: 1 } })).toThrow(
        new RegExp(`librdkafka\\.${key.replaceAll('.', '\\.')}: ${key.replaceAll('.', '\\.')} is set by`),
      );
    }
  });

  it('applies librdkafka passthrough last', () => {
    const c = producerConfig(parse({ librdkafka: { 'linger.ms': 50, 'statistics.interval.ms': 1000 } }));
    expect(c['linger.ms']).toBe(50);
    expect(c['statistics.interval.ms']).toBe(1000);
  });
});
