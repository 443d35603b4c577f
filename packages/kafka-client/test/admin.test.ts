import { describe, expect, it } from 'vitest';
import { ensureTopicsWith } from '../src/admin.js';
import { RD } from '../src/codes.js';
import type { LibrdkafkaConfig as RdConfig } from '../src/connection.js';
import type { RdAdmin, RdError } from '../src/internal/rdkafka-admin.js';
import type { NewTopic, TopicDescription } from '../src/native.js';

/** An in-memory cluster behind the AdminClient calls ensureTopics makes. */
class FakeAdmin implements RdAdmin {
  readonly topics = new Map<string, { partitions: number; replicas: number }>();
  readonly created: NewTopic[] = [];
  readonly grown: [string, number][] = [];
  disconnected = false;
  describeError: RdError | undefined;
  createError: RdError | undefined;
  /** Someone else creates the topic between our describe and create. */
  raceCreate = false;
  config: RdConfig | undefined;

  describeTopics(
    topics: string[],
    _t: number,
    cb: (err: RdError | null | undefined, result: TopicDescription[]) => void,
  ): void {
    if (this.describeError) return queueMicrotask(() => cb(this.describeError, []));
    const result = topics.map((name) => {
      const t = this.topics.get(name);
      const base = {
        name,
        topicId: { mostSignificantBits: 0n, leastSignificantBits: 0n, base64str: '' },
        isInternal: false,
      };
      if (!t)
        return {
          ...base,
          partitions: [],
          error: {
            code: RD.ERR_UNKNOWN_TOPIC_OR_PART,
            message: 'Broker: Unknown topic or partition',
            errno: 3,
            origin: 'kafka',
          },
        };
      const node = { id: 1, host: 'h', port: 1 };
      return {
        ...base,
        partitions: Array.from({ length: t.partitions }, (_, partition) => ({
          partition,
          leader: node,
          isr: [node],
          replicas: Array(t.replicas).fill(node),
        })),
      };
    });
    queueMicrotask(() => cb(null, result));
  }

  createTopic(topic: NewTopic, _t: number, cb: (err: RdError | null | undefined) => void): void {
    if (this.raceCreate) {
      this.topics.set(topic.topic, { partitions: 1, replicas: 1 });
      return queueMicrotask(() =>
        cb({ code: RD.ERR_TOPIC_ALREADY_EXISTS, message: 'Broker: Topic already exists' }),
      );
    }
    if (this.createError) return queueMicrotask(() => cb(this.createError));
    this.created.push(topic);
    this.topics.set(topic.topic, {
      partitions: topic.num_partitions === -1 ? 1 : topic.num_partitions,
      replicas: 1,
    });
    queueMicrotask(() => cb(null));
  }

  createPartitions(
    topic: string,
    total: number,
    _t: number,
    cb: (err: RdError | null | undefined) => void,
  ): void {
    this.grown.push([topic, total]);
    this.topics.get(topic)!.partitions = total;
    queueMicrotask(() => cb(null));
  }

  disconnect(): void {
    this.disconnected = true;
  }
}

function setup() {
  const admin = new FakeAdmin();
  const factory = (config: RdConfig) => {
    admin.config = config;
    return admin;
  };
  return { admin, factory };
}

describe('ensureTopics', () => {
  it('creates missing topics with partitions, replication and config, then is idempotent', async () => {
    const { admin, factory } = setup();
    const spec = {
      topic: 'otlp_spans',
      partitions: 6,
      replicationFactor: 1,
      config: { 'retention.ms': 86_400_000, 'retention.bytes': '1000000' },
    };
    const first = await ensureTopicsWith(
      { brokers: ['k:9092'], topics: [spec, { topic: 'otlp_logs' }] },
      factory,
    );
    expect(first.map((r) => r.unwrap().status)).toEqual(['created', 'created']);
    expect(admin.created[0]).toEqual({
      topic: 'otlp_spans',
      num_partitions: 6,
      replication_factor: 1,
      config: { 'retention.ms': '86400000', 'retention.bytes': '1000000' },
    });
    expect(admin.created[1]).toMatchObject({
      topic: 'otlp_logs',
      num_partitions: -1,
      replication_factor: -1,
    });
    expect(admin.config).toMatchObject({ 'bootstrap.servers': 'k:9092' });
    expect(admin.disconnected).toBe(true);

    const again = await ensureTopicsWith({ brokers: ['k:9092'], topics: [spec] }, factory);
    expect(again[0]!.unwrap()).toMatchObject({ status: 'exists', partitions: 6, replicationFactor: 1 });
    expect(again[0]!.unwrap().notes).toEqual([expect.stringMatching(/config is applied at creation only/)]);
    expect(admin.created).toHaveLength(2);
  });

  it('reports fewer partitions than asked as an error naming both counts', async () => {
    const { admin, factory } = setup();
    admin.topics.set('t', { partitions: 2, replicas: 1 });
    const [r] = await ensureTopicsWith({ topics: [{ topic: 't', partitions: 5 }] }, factory);
    expect(r!.isErr()).toBe(true);
    const e = r!.isErr() ? r!.error : undefined;
    expect(e).toMatchObject({ topic: 't', code: 'ERR_KAFKA_PARTITIONS_MISMATCH' });
    expect(e?.message).toMatch(
      /topic t: has 2 partitions, 5 requested; partitions can only grow .*increasePartitions: true/,
    );
    expect(admin.grown).toEqual([]);
  });

  it('grows partitions when told to', async () => {
    const { admin, factory } = setup();
    admin.topics.set('t', { partitions: 2, replicas: 1 });
    const [r] = await ensureTopicsWith(
      { topics: [{ topic: 't', partitions: 5 }], increasePartitions: true },
      factory,
    );
    expect(r!.unwrap()).toMatchObject({ status: 'partitions_increased', partitions: 5 });
    expect(admin.grown).toEqual([['t', 5]]);
  });

  it('reports more partitions and another replication factor without changing them', async () => {
    const { admin, factory } = setup();
    admin.topics.set('t', { partitions: 8, replicas: 1 });
    const [r] = await ensureTopicsWith(
      { topics: [{ topic: 't', partitions: 3, replicationFactor: 3 }], increasePartitions: true },
      factory,
    );
    const v = r!.unwrap();
    expect(v).toMatchObject({ status: 'exists', partitions: 8, replicationFactor: 1 });
    expect(v.notes).toEqual([
      expect.stringMatching(/has 8 partitions, 3 requested; partitions cannot be removed/),
      expect.stringMatching(/replication factor is 1, 3 requested/),
    ]);
    expect(admin.grown).toEqual([]);
  });

  it('treats a topic created concurrently as existing', async () => {
    const { admin, factory } = setup();
    admin.raceCreate = true;
    const [r] = await ensureTopicsWith({ topics: [{ topic: 't', partitions: 1 }] }, factory);
    expect(r!.unwrap().status).toBe('exists');
  });

  it('returns admin failures per topic as errors, and still disconnects', async () => {
    const { admin, factory } = setup();
    admin.describeError = { code: -185, message: 'Local: Timed out' };
    const results = await ensureTopicsWith({ topics: [{ topic: 'a' }, { topic: 'b' }] }, factory);
    expect(results.map((r) => r.isErr() && r.error.code)).toEqual(['ERR_KAFKA_ADMIN', 'ERR_KAFKA_ADMIN']);
    expect(results[0]!.isErr() && results[0]!.error.message).toMatch(
      /topic a: cannot describe the topic: librdkafka error -185: Local: Timed out/,
    );
    expect(admin.disconnected).toBe(true);
    admin.describeError = undefined;
    admin.createError = {
      code: RD.ERR_INVALID_REPLICATION_FACTOR,
      message: 'Broker: Invalid replication factor',
    };
    const [c] = await ensureTopicsWith({ topics: [{ topic: 'c', replicationFactor: 3 }] }, factory);
    expect(c!.isErr() && c!.error.message).toMatch(/cannot create the topic: ERR_INVALID_REPLICATION_FACTOR/);
  });

  it('builds the admin client from the shared connection options, pass-through last', async () => {
    const { admin, factory } = setup();
    await ensureTopicsWith(
      {
        brokers: 'a:1, b:2',
        sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' },
        tls: { caFile: '/ca.pem' },
        librdkafka: { 'socket.connection.setup.timeout.ms': 5000 },
        topics: [{ topic: 't' }],
      },
      factory,
    );
    expect(admin.config).toMatchObject({
      'bootstrap.servers': 'a:1,b:2',
      'client.id': 'otlp-kafka',
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-256',
      'ssl.ca.location': '/ca.pem',
      'socket.connection.setup.timeout.ms': 5000,
    });
  });

  it('turns a configuration librdkafka refuses into ERR_INVALID_OPTIONS', async () => {
    const refusing = () => {
      throw new Error('No such configuration property: "no.such.property"');
    };
    await expect(
      ensureTopicsWith({ topics: [{ topic: 't' }], librdkafka: { 'no.such.property': 1 } }, refusing),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
      message: expect.stringMatching(/ensureTopics: invalid librdkafka configuration.*no\.such\.property/),
    });
  });

  it('validates its options', async () => {
    const { factory } = setup();
    await expect(ensureTopicsWith({ topics: [] }, factory)).rejects.toThrow(
      /ensureTopics: invalid options: topics/,
    );
    await expect(ensureTopicsWith({ topics: [{ topic: 't', partitions: 0 }] }, factory)).rejects.toThrow(
      /topics\.0\.partitions/,
    );
  });
});
