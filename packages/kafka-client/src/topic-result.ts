import { PipelineError } from '@otlp-kafka/core';

/** What ensureTopics found or did for one topic. */
export interface EnsuredTopic {
  topic: string;
  status: 'created' | 'exists' | 'partitions_increased';
  /** The partition count now (as requested when just created; undefined: the broker default). */
  partitions: number | undefined;
  replicationFactor: number | undefined;
  /** Differences that were reported but left alone (more partitions than asked, replication factor, config). */
  notes: string[];
}

/** A topic ensureTopics could not bring to the asked state. */
export class TopicError extends PipelineError {
  override readonly name = 'TopicError';
  constructor(
    readonly topic: string,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `topic ${topic}: ${message}`, options);
  }
}
