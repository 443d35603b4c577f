// The exporter through the secure listeners of a private Kafka (testkit secure mode): SASL_SSL
// with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN, and mTLS; from code options and from the
// Collector's config names. Wrong credentials and certificates end start() with the cause.
import { noopLogger, outcomeKind } from '@otlp-kafka/core';
import {
  consumeRaw,
  freshTopic,
  startKafkaCluster,
  type KafkaCluster,
  type SecureEndpoints,
} from '@otlp-kafka/testkit/kafka';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafkaExporter,
  kafkaExporterFactory,
  type KafkaExporter,
  type KafkaExporterOptions,
} from '../src/index.js';
import { span, spansIn, tracesBatch } from './support/data.js';

let cluster: KafkaCluster;
let sec: SecureEndpoints;
const open: KafkaExporter[] = [];

beforeAll(async () => {
  cluster = await startKafkaCluster({ secure: true });
  sec = cluster.security!;
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.shutdown()));
});
afterAll(async () => {
  await cluster?.stop();
});

type Mechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN';
const MECHANISMS: readonly Mechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'];

const sasl = (mechanism: Mechanism): KafkaExporterOptions => ({
  brokers: sec.saslSslBrokers,
  tls: { caFile: sec.caFile },
  sasl: { mechanism, ...sec.users[mechanism] },
});
const mtls = (): KafkaExporterOptions => ({
  brokers: sec.sslBrokers,
  tls: { caFile: sec.caFile, certFile: sec.clientCertFile, keyFile: sec.clientKeyFile },
});

/** The Collector's kafka exporter section, validated and built by the factory as the CLI does. */
function fromConfig(section: Record<string, unknown>): KafkaExporter {
  const config = kafkaExporterFactory.configSchema.parse(section);
  const e = kafkaExporterFactory.create(config, {
    id: 'kafka/secure',
    signals: ['traces'],
    logger: noopLogger,
    env: {},
  }) as KafkaExporter;
  open.push(e);
  return e;
}

function fromCode(options: KafkaExporterOptions): KafkaExporter {
  const e = createKafkaExporter({ logger: noopLogger, ...options });
  open.push(e);
  return e;
}

let n = 0;
function batch() {
  n++;
  return tracesBatch([
    { attrs: { 'service.name': 'secure' }, items: [span(n, n * 10), span(n, n * 10 + 1)] },
  ]);
}

/** Sends one batch, expects ok, and finds exactly its spans in the topic (read over PLAINTEXT). */
async function roundTrip(exporter: KafkaExporter, topic: string): Promise<void> {
  await exporter.start();
  const b = batch();
  expect(outcomeKind(await exporter.consume(b))).toBe('ok');
  const records = await consumeRaw(topic, { brokers: cluster.brokers, count: 1, timeoutMs: 20_000 });
  expect(records.flatMap((r) => spansIn(r.value!).map((s) => s.id))).toEqual(
    spansIn(b.bytes).map((s) => s.id),
  );
}

describe('kafka exporter through SASL_SSL and mTLS', () => {
  for (const mechanism of MECHANISMS) {
    it(`${mechanism} over SASL_SSL, from code options`, async () => {
      const topic = await freshTopic(`kpe-sec-${mechanism}`, { brokers: cluster.brokers });
      await roundTrip(fromCode({ ...sasl(mechanism), topic }), topic);
    });

    it(`${mechanism} over SASL_SSL, from the Collector's auth.sasl and tls config`, async () => {
      const topic = await freshTopic(`kpe-sec-cfg-${mechanism}`, { brokers: cluster.brokers });
      const exporter = fromConfig({
        brokers: sec.saslSslBrokers.split(','),
        topic,
        auth: { sasl: { mechanism, ...sec.users[mechanism] }, tls: { ca_file: sec.caFile } },
      });
      await roundTrip(exporter, topic);
    });
  }

  it('mTLS with a client certificate signed by the CA, from code options', async () => {
    const topic = await freshTopic('kpe-sec-mtls', { brokers: cluster.brokers });
    await roundTrip(fromCode({ ...mtls(), topic }), topic);
  });

  it("mTLS from the Collector's tls: { ca_file, cert_file, key_file }", async () => {
    const topic = await freshTopic('kpe-sec-mtls-cfg', { brokers: cluster.brokers });
    const exporter = fromConfig({
      brokers: sec.sslBrokers,
      topic,
      tls: { ca_file: sec.caFile, cert_file: sec.clientCertFile, key_file: sec.clientKeyFile },
    });
    await roundTrip(exporter, topic);
  });
});

describe('kafka exporter: refused credentials and certificates end start() with the cause', () => {
  // The native connect of a refused client lingers until this timeout (holding a libuv worker):
  // short, so the next test's clients do not queue behind it.
  const CONNECT_TIMEOUT_MS = 5000;

  /** start() rejects naming the cause before the connect timeout; nothing is acknowledged or written. */
  async function refused(options: KafkaExporterOptions, cause: RegExp): Promise<void> {
    const topic = await freshTopic('kpe-sec-refused', { brokers: cluster.brokers });
    const exporter = fromCode({ ...options, topic, connectTimeoutMs: CONNECT_TIMEOUT_MS });
    const began = Date.now();
    const error = await exporter.start().then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    const elapsed = Date.now() - began;
    expect(error?.message).toMatch(cause);
    expect(error?.code).toBe('ERR_KAFKA_AUTH');
    expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS);
    expect(exporter.connected).toBe(false);
    // Not started: a batch is refused, never acknowledged, and nothing reaches the topic.
    expect(outcomeKind(await exporter.consume(batch()))).not.toBe('ok');
    expect(await consumeRaw(topic, { brokers: cluster.brokers, count: 1, timeoutMs: 1500 })).toEqual([]);
  }

  it('a wrong SCRAM password', async () => {
    await refused(
      {
        ...sasl('SCRAM-SHA-512'),
        sasl: { ...sec.users['SCRAM-SHA-512'], mechanism: 'SCRAM-SHA-512', password: 'wrong' },
      },
      /SASL authentication failed.*invalid credentials.*SCRAM-SHA-512/,
    );
  });

  it('a wrong PLAIN password', async () => {
    await refused(
      { ...sasl('PLAIN'), sasl: { ...sec.users.PLAIN, mechanism: 'PLAIN', password: 'wrong' } },
      /SASL authentication failed/,
    );
  });

  it('a broker certificate from a CA the client does not trust', async () => {
    await refused(
      { ...sasl('SCRAM-SHA-256'), tls: { caFile: sec.untrustedCaFile } },
      /broker's certificate is not trusted.*ca_file.*certificate verify failed/,
    );
  });

  it('no client certificate on the mTLS listener', async () => {
    await refused({ brokers: sec.sslBrokers, tls: { caFile: sec.caFile } }, /refused the client certificate/);
  });

  it('a client certificate from a CA the broker does not trust', async () => {
    await refused(
      {
        brokers: sec.sslBrokers,
        tls: {
          caFile: sec.caFile,
          certFile: sec.untrustedClientCertFile,
          keyFile: sec.untrustedClientKeyFile,
        },
      },
      /refused the client certificate/,
    );
  });
});
