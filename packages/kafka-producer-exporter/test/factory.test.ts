import { noopLogger } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { kafkaExporterFactory, type KafkaExporter } from '../src/index.js';
import { toOptions } from '../src/internal/config-schema.js';

const parse = (c: unknown) => kafkaExporterFactory.configSchema.parse(c);

describe('kafkaExporterFactory', () => {
  it("maps the seed's flat topic to every signal the exporter serves", () => {
    expect(
      toOptions(parse({ brokers: 'a:9092,b:9092', topic: 'otlp-traces', encoding: 'otlp_proto' }), [
        'traces',
      ]),
    ).toEqual({
      brokers: ['a:9092', 'b:9092'],
      topics: { traces: 'otlp-traces' },
      encoding: 'otlp_proto',
    });
  });

  it('maps the Collector v0.165 per-signal sections, only for the signals served', () => {
    const config = parse({
      traces: { topic: 't', encoding: 'otlp_json' },
      logs: { topic: 'l', encoding: 'otlp_json' },
      metrics: { topic: 'm' },
    });
    expect(toOptions(config, ['traces', 'logs'])).toMatchObject({
      topics: { traces: 't', logs: 'l' },
      encoding: 'otlp_json',
    });
  });

  it('refuses two encodings for one exporter, and a flat topic with per-signal topics', () => {
    const config = parse({ traces: { encoding: 'otlp_json' }, logs: { encoding: 'otlp_proto' } });
    expect(() => toOptions(config, ['traces', 'logs'])).toThrow(
      /encodings otlp_json and otlp_proto: define one kafka\/<name> exporter per encoding/,
    );
    const r = kafkaExporterFactory.configSchema.safeParse({ topic: 'x', traces: { topic: 't' } });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['topic', 'topic and per-signal topics (traces) are exclusive'],
    ]);
  });

  it('maps producer keys, timeout, TLS (PEM too) and SASL, and names the exporter by its id', () => {
    const config = parse({
      timeout: '10s',
      producer: { required_acks: 1, linger: '20ms', compression: 'zstd', idempotent: false },
      tls: { ca_pem: 'PEM', insecure_skip_verify: true },
      auth: { sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' } },
    });
    expect(toOptions(config, ['logs'])).toEqual({
      producer: {
        requiredAcks: 1,
        lingerMs: 20,
        compression: 'zstd',
        enableIdempotence: false,
        messageTimeoutMs: 10_000,
      },
      tls: { ca: 'PEM', insecureSkipVerify: true, insecure: false },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' },
    });
    const exporter = kafkaExporterFactory.create(config, {
      id: 'kafka/logs',
      signals: ['logs'],
      logger: noopLogger,
      env: {},
    }) as KafkaExporter;
    expect(exporter.connected).toBe(false);
  });
});
