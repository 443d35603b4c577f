import { Err, Ok, type Result } from 'ts-results-es';
import { TopicError, type EnsuredTopic } from '../topic-result.js';
import { rdCodeName as codeName, RD } from '../codes.js';
import type { TopicDescription } from '../native.js';
import type { RdAdmin, RdError } from './rdkafka-admin.js';

export interface ResolvedTopicSpec {
  topic: string;
  partitions?: number | undefined;
  replicationFactor?: number | undefined;
  config: Record<string, string | number>;
}

type Described =
  { exists: false } | { exists: true; partitions: number; replicationFactor: number | undefined };

const UNKNOWN = new Set<number>([RD.ERR_UNKNOWN_TOPIC_OR_PART, RD.ERR__UNKNOWN_TOPIC]);

/** Brings one topic to the asked state, or says why not. */
export async function ensureOne(
  admin: RdAdmin,
  spec: ResolvedTopicSpec,
  increasePartitions: boolean,
  timeoutMs: number,
): Promise<Result<EnsuredTopic, TopicError>> {
  const t = spec.topic;
  const described = await describe(admin, t, timeoutMs);
  if (described.isErr()) return described;
  if (described.value.exists) return compare(admin, spec, described.value, increasePartitions, timeoutMs);

  const created = await call((cb) =>
    admin.createTopic(
      {
        topic: t,
        num_partitions: spec.partitions ?? -1,
        replication_factor: spec.replicationFactor ?? -1,
        config: Object.fromEntries(Object.entries(spec.config).map(([k, v]) => [k, String(v)])),
      },
      timeoutMs,
      cb,
    ),
  );
  if (created === undefined) {
    return Ok({
      topic: t,
      status: 'created',
      partitions: spec.partitions,
      replicationFactor: spec.replicationFactor,
      notes: [],
    });
  }
  if (created.code !== RD.ERR_TOPIC_ALREADY_EXISTS)
    return Err(adminError(t, 'cannot create the topic', created));
  // Created by someone else in between: check it like any existing topic.
  const again = await describe(admin, t, timeoutMs);
  if (again.isErr()) return again;
  if (!again.value.exists)
    return Err(new TopicError(t, 'ERR_KAFKA_ADMIN', 'reported as existing, then as unknown'));
  return compare(admin, spec, again.value, increasePartitions, timeoutMs);
}

async function compare(
  admin: RdAdmin,
  spec: ResolvedTopicSpec,
  actual: { partitions: number; replicationFactor: number | undefined },
  increasePartitions: boolean,
  timeoutMs: number,
): Promise<Result<EnsuredTopic, TopicError>> {
  const t = spec.topic;
  const notes: string[] = [];
  let status: EnsuredTopic['status'] = 'exists';
  let partitions = actual.partitions;
  if (spec.partitions !== undefined && actual.partitions < spec.partitions) {
    if (!increasePartitions) {
      return Err(
        new TopicError(
          t,
          'ERR_KAFKA_PARTITIONS_MISMATCH',
          `has ${actual.partitions} partitions, ${spec.partitions} requested; partitions can only grow ` +
            `(pass increasePartitions: true to add ${spec.partitions - actual.partitions}; keyed records then map to other partitions)`,
        ),
      );
    }
    const grown = await call((cb) => admin.createPartitions(t, spec.partitions!, timeoutMs, cb));
    if (grown !== undefined) return Err(adminError(t, `cannot grow to ${spec.partitions} partitions`, grown));
    status = 'partitions_increased';
    notes.push(`partitions increased from ${actual.partitions} to ${spec.partitions}`);
    partitions = spec.partitions;
  } else if (spec.partitions !== undefined && actual.partitions > spec.partitions) {
    notes.push(
      `has ${actual.partitions} partitions, ${spec.partitions} requested; partitions cannot be removed, left unchanged`,
    );
  }
  if (
    spec.replicationFactor !== undefined &&
    actual.replicationFactor !== undefined &&
    actual.replicationFactor !== spec.replicationFactor
  ) {
    notes.push(
      `replication factor is ${actual.replicationFactor}, ${spec.replicationFactor} requested; left unchanged (needs a partition reassignment)`,
    );
  }
  if (Object.keys(spec.config).length > 0) {
    notes.push(
      "topic config is applied at creation only; the existing topic's config was not checked or changed",
    );
  }
  return Ok({ topic: t, status, partitions, replicationFactor: actual.replicationFactor, notes });
}

async function describe(
  admin: RdAdmin,
  topic: string,
  timeoutMs: number,
): Promise<Result<Described, TopicError>> {
  let result: { err: RdError | undefined; descriptions: TopicDescription[] };
  try {
    result = await new Promise((resolve) =>
      admin.describeTopics([topic], timeoutMs, (err, descriptions) =>
        resolve({ err: err ?? undefined, descriptions: descriptions ?? [] }),
      ),
    );
  } catch (e) {
    return Err(adminError(topic, 'cannot describe the topic', e as RdError));
  }
  const { err, descriptions } = result;
  const d = descriptions.find((x) => x.name === topic);
  const error = err ?? d?.error;
  if (error) {
    if (UNKNOWN.has(error.code)) return Ok({ exists: false });
    return Err(adminError(topic, 'cannot describe the topic', error));
  }
  if (!d) return Ok({ exists: false });
  return Ok({
    exists: true,
    partitions: d.partitions.length,
    replicationFactor: d.partitions[0]?.replicas.length,
  });
}

/** Runs a callback-style admin call; resolves with its error, if any (a throw counts as one). */
function call(run: (cb: (err: RdError | null | undefined) => void) => void): Promise<RdError | undefined> {
  return new Promise((resolve) => {
    try {
      run((err) => resolve(err ?? undefined));
    } catch (e) {
      resolve(e as RdError);
    }
  });
}

function adminError(topic: string, what: string, err: RdError): TopicError {
  const code = typeof err?.code === 'number' ? codeName(err.code) : 'error';
  return new TopicError(topic, 'ERR_KAFKA_ADMIN', `${what}: ${code}: ${err?.message ?? String(err)}`, {
    cause: err,
  });
}
