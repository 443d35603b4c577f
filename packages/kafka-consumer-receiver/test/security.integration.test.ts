// The receiver through the secure listeners of a private Kafka (testkit secure mode): SASL_SSL
// with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN, and mTLS; from code options and from the
// Collector's config names. Wrong credentials and certificates end start() with the cause.
import { setTimeout as sleep } from 'node:timers/promises';
import { noopLogger, ok, type Batch, type Consumer, type Outcome } from '@otlp-kafka/core';
import {
  freshGroup,
  freshTopic,
  produceRaw,
  startKafkaCluster,
  type KafkaCluster,
  type SecureEndpoints,
} from '@otlp-kafka/testkit/kafka';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafkaReceiver,
  kafkaReceiverFactory,
  type KafkaReceiver,
  type KafkaReceiverOptions,
} from '../src/index.js';
import { spanNames, traceRequest } from './helpers/otlp.js';

let cluster: KafkaCluster;
let sec: SecureEndpoints;
const running: KafkaReceiver[] = [];

beforeAll(async () => {
  cluster = await startKafkaCluster({ secure: true });
  sec = cluster.security!;
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.shutdown()));
});
afterAll(async () => {
  await cluster?.stop();
});

class Sink implements Consumer {
  readonly names: string[] = [];
  consume(batch: Batch): Promise<Outcome> {
    this.names.push(...spanNames(batch));
    return Promise.resolve(ok());
  }
}

type Mechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN';
const MECHANISMS: readonly Mechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'];

const sasl = (mechanism: Mechanism): Partial<KafkaReceiverOptions> => ({
  brokers: sec.saslSslBrokers,
  tls: { caFile: sec.caFile },
  sasl: { mechanism, ...sec.users[mechanism] },
});

const quick = { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, initialOffset: 'earliest' } as const;

function fromCode(options: Partial<KafkaReceiverOptions>, topic: string): KafkaReceiver {
  const r = createKafkaReceiver({
    ...quick,
    logger: noopLogger,
    groupId: freshGroup('kcr-sec'),
    signal: 'traces',
    topics: [topic],
    ...options,
  } as KafkaReceiverOptions);
  running.push(r);
  return r;
}

/** The Collector's kafka receiver section, validated and built by the factory as the CLI does. */
function fromConfig(section: Record<string, unknown>): KafkaReceiver {
  const config = kafkaReceiverFactory.configSchema.parse({
    group_id: freshGroup('kcr-sec-cfg'),
    initial_offset: 'earliest',
    session_timeout: '6s',
    heartbeat_interval: '500ms',
    ...section,
  });
  const r = kafkaReceiverFactory.create(config, {
    id: 'kafka/secure',
    signals: ['traces'],
    logger: noopLogger,
    env: {},
  }) as KafkaReceiver;
  running.push(r);
  return r;
}

/** Writes two records over PLAINTEXT, starts the receiver and waits for every span. */
async function receives(receiver: KafkaReceiver, topic: string): Promise<void> {
  const names = [`${topic}-a`, `${topic}-b`, `${topic}-c`];
  await produceRaw(
    topic,
    [{ value: traceRequest(names.slice(0, 2)) }, { value: traceRequest(names.slice(2)) }],
    {
      brokers: cluster.brokers,
    },
  );
  const sink = new Sink();
  receiver.connect('traces', sink);
  await receiver.start();
  const deadline = Date.now() + 30_000;
  while (sink.names.length < names.length && Date.now() < deadline) await sleep(50);
  expect(sink.names.sort()).toEqual(names.sort());
}

describe('kafka receiver through SASL_SSL and mTLS', () => {
  for (const mechanism of MECHANISMS) {
    it(`${mechanism} over SASL_SSL, from code options`, async () => {
      const topic = await freshTopic(`kcr-sec-${mechanism}`, { brokers: cluster.brokers });
      await receives(fromCode(sasl(mechanism), topic), topic);
    });

    it(`${mechanism} over SASL_SSL, from the Collector's auth.sasl and tls config`, async () => {
      const topic = await freshTopic(`kcr-sec-cfg-${mechanism}`, { brokers: cluster.brokers });
      const receiver = fromConfig({
        brokers: sec.saslSslBrokers.split(','),
        topics: [topic],
        auth: { sasl: { mechanism, ...sec.users[mechanism] }, tls: { ca_file: sec.caFile } },
      });
      await receives(receiver, topic);
    });
  }

  it('mTLS with a client certificate signed by the CA, from code options', async () => {
    const topic = await freshTopic('kcr-sec-mtls', { brokers: cluster.brokers });
    const receiver = fromCode(
      {
        brokers: sec.sslBrokers,
        tls: { caFile: sec.caFile, certFile: sec.clientCertFile, keyFile: sec.clientKeyFile },
      },
      topic,
    );
    await receives(receiver, topic);
  });

  it("mTLS from the Collector's tls: { ca_file, cert_file, key_file }", async () => {
    const topic = await freshTopic('kcr-sec-mtls-cfg', { brokers: cluster.brokers });
    const receiver = fromConfig({
      brokers: sec.sslBrokers,
      topics: [topic],
      tls: { ca_file: sec.caFile, cert_file: sec.clientCertFile, key_file: sec.clientKeyFile },
    });
    await receives(receiver, topic);
  });
});

describe('kafka receiver: refused credentials and certificates end start() with the cause', () => {
  const CONNECT_TIMEOUT_MS = 6000;

  /** start() rejects naming the cause before the connect timeout, and nothing is delivered. */
  async function refused(options: Partial<KafkaReceiverOptions>, cause: RegExp): Promise<void> {
    const topic = await freshTopic('kcr-sec-refused', { brokers: cluster.brokers });
    await produceRaw(topic, [{ value: traceRequest([`${topic}-x`]) }], { brokers: cluster.brokers });
    const receiver = fromCode({ ...options, connectTimeoutMs: CONNECT_TIMEOUT_MS }, topic);
    const sink = new Sink();
    receiver.connect('traces', sink);
    const began = Date.now();
    const error = await receiver.start().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(cause);
    expect(Date.now() - began).toBeLessThan(CONNECT_TIMEOUT_MS);
    await sleep(500);
    expect(sink.names).toEqual([]);
  }

  it('a wrong SCRAM password', async () => {
    await refused(
      {
        ...sasl('SCRAM-SHA-256'),
        sasl: { ...sec.users['SCRAM-SHA-256'], mechanism: 'SCRAM-SHA-256', password: 'wrong' },
      },
      /SASL authentication failed.*invalid credentials.*SCRAM-SHA-256/,
    );
  });

  it('a broker certificate from a CA the client does not trust', async () => {
    await refused(
      { ...sasl('PLAIN'), tls: { caFile: sec.untrustedCaFile } },
      /broker's certificate is not trusted.*certificate verify failed/,
    );
  });

  it('no client certificate on the mTLS listener', async () => {
    await refused({ brokers: sec.sslBrokers, tls: { caFile: sec.caFile } }, /refused the client certificate/);
  });
});
