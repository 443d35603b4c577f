import type { LibrdkafkaConfig } from '../connection.js';
import { loadKafka, type LibrdKafkaError, type NewTopic, type TopicDescription } from '../native.js';

/** What a librdkafka callback carries as its error (null or undefined on success). */
export type RdError = Pick<LibrdKafkaError, 'code' | 'message'> & {
  isFatal?: boolean;
  isRetriable?: boolean;
};

/** The AdminClient operations `ensureTopics` needs; unit tests inject a fake. */
export interface RdAdmin {
  describeTopics(
    topics: string[],
    timeoutMs: number,
    cb: (err: RdError | null | undefined, result: TopicDescription[]) => void,
  ): void;
  createTopic(topic: NewTopic, timeoutMs: number, cb: (err: RdError | null | undefined) => void): void;
  createPartitions(
    topic: string,
    total: number,
    timeoutMs: number,
    cb: (err: RdError | null | undefined) => void,
  ): void;
  disconnect(): void;
}

/** Builds an admin client; construction validates the configuration (throws on unknown or bad properties). */
export type RdAdminFactory = (config: LibrdkafkaConfig) => RdAdmin | Promise<RdAdmin>;

export const nativeAdminFactory: RdAdminFactory = async (config) => {
  const kafka = await loadKafka();
  const a = kafka.AdminClient.create(config);
  return {
    describeTopics(topics, timeoutMs, cb) {
      a.describeTopics(topics, { timeout: timeoutMs }, cb);
    },
    createTopic(topic, timeoutMs, cb) {
      a.createTopic(topic, timeoutMs, cb);
    },
    createPartitions(topic, total, timeoutMs, cb) {
      a.createPartitions(topic, total, timeoutMs, cb);
    },
    disconnect() {
      a.disconnect();
    },
  };
};
