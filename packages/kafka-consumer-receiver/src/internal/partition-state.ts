import type { TopicPartition } from '@otlp-kafka/kafka-client';
import { partitionKey } from './client.js';
import { OffsetTracker } from './offset-tracker.js';

/**
 * owned: messages are dispatched. revoking: the group took it away; nothing new
 * is dispatched, in-flight acknowledgements still count until it is committed.
 * released: gone; late acknowledgements are ignored.
 */
export type PartitionPhase = 'owned' | 'revoking' | 'released';

/** One assigned partition. A new assignment of the same partition gets a new state. */
let generation = 0;

export class PartitionState {
  readonly key: string;
  /** Unique per assignment: holds and waiters of an older assignment never touch a newer one. */
  readonly id: string;
  readonly tracker = new OffsetTracker();
  /** Aborted when released: redelivery loops of its messages stop. */
  readonly abort = new AbortController();
  phase: PartitionPhase = 'owned';
  /** Whether the receiver asked librdkafka to pause it. */
  paused = false;
  /** Last offset handed to offsetsStore. */
  stored: number | undefined;
  /** Last offset librdkafka reported committed for it. */
  committed: number | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    this.key = partitionKey(topic, partition);
    this.id = `${this.key}#${++generation}`;
  }

  get topicPartition(): TopicPartition {
    return { topic: this.topic, partition: this.partition };
  }

  /** Called after each acknowledgement. */
  notify(): void {
    if (this.tracker.inFlight > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves true once every dispatched message was acknowledged, false after timeoutMs. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.tracker.inFlight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  release(): void {
    this.phase = 'released';
    this.abort.abort();
  }
}

/** The partitions this member holds, by key. */
export class PartitionRegistry {
  private readonly states = new Map<string, PartitionState>();

  get size(): number {
    return this.states.size;
  }

  get(key: string): PartitionState | undefined {
    return this.states.get(key);
  }

  add(topic: string, partition: number): PartitionState {
    const state = new PartitionState(topic, partition);
    this.states.get(state.key)?.release();
    this.states.set(state.key, state);
    return state;
  }

  remove(state: PartitionState): void {
    if (this.states.get(state.key) === state) this.states.delete(state.key);
    state.release();
  }

  /** True while `state` is the live state of its partition (not released, not replaced). */
  isCurrent(state: PartitionState): boolean {
    return state.phase !== 'released' && this.states.get(state.key) === state;
  }

  all(): PartitionState[] {
    return [...this.states.values()];
  }
}
