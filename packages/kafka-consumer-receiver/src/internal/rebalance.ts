import type { Logger } from '@otlp-kafka/core';
import {
  ERR_ASSIGN_PARTITIONS,
  ERR_REVOKE_PARTITIONS,
  partitionKey,
  type ConsumerClient,
  type LibrdKafkaError,
  type TopicPartition,
} from './client.js';
import type { FlowControl } from './flow-control.js';
import type { LagMonitor } from './lag.js';
import type { ReceiverMetrics } from './metrics.js';
import type { PartitionRegistry, PartitionState } from './partition-state.js';

export interface RebalanceContext {
  readonly client: ConsumerClient;
  readonly partitions: PartitionRegistry;
  readonly flow: FlowControl;
  readonly metrics: ReceiverMetrics;
  readonly logger: Logger;
  readonly lag: LagMonitor;
  readonly revokeTimeoutMs: number;
  /** Commits the states' contiguous watermarks (never rejects). */
  commit(states: readonly PartitionState[]): Promise<void>;
  syncPauses(): void;
}

/**
 * librdkafka's rebalance callback, handled by the receiver: the group waits
 * until we assign or unassign, so a revoke can first let its partitions'
 * in-flight records finish (bounded) and commit them. Events are handled one
 * at a time, in order.
 */
export class RebalanceHandler {
  private chain: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(private readonly ctx: RebalanceContext) {}

  onRebalance(err: LibrdKafkaError | undefined, assignment: TopicPartition[]): void {
    this.chain = this.chain
      .then(() => this.handle(err, assignment))
      .catch((e: unknown) => this.ctx.logger.error({ err: e }, 'rebalance handling failed'));
  }

  /** Resolves when every rebalance event received so far was handled. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** The consumer is closing: revokes release at once (shutdown already drained and committed). */
  close(): void {
    this.closing = true;
  }

  private async handle(err: LibrdKafkaError | undefined, assignment: TopicPartition[]): Promise<void> {
    const { client, logger } = this.ctx;
    const cooperative = client.rebalanceProtocol() === 'COOPERATIVE';
    if (err?.code === ERR_ASSIGN_PARTITIONS) return this.assign(assignment, cooperative);
    if (err?.code !== ERR_REVOKE_PARTITIONS) {
      // librdkafka asks to drop the whole assignment on a rebalance error.
      logger.error({ err }, 'rebalance error; releasing every partition');
      return this.revoke(
        this.ctx.partitions.all().map((s) => s.topicPartition),
        false,
      );
    }
    return this.revoke(assignment, cooperative);
  }

  private assign(assignment: TopicPartition[], cooperative: boolean): void {
    const { client, partitions, metrics, logger } = this.ctx;
    for (const tp of assignment) {
      partitions.add(tp.topic, tp.partition);
      metrics.assigned(tp.topic, tp.partition);
    }
    if (cooperative) client.incrementalAssign(assignment);
    else client.assign(assignment);
    // A partition paused in an earlier assignment must not stay paused in librdkafka.
    try {
      if (assignment.length) client.resume(assignment);
    } catch {
      // Not assigned yet or never paused: nothing to resume.
    }
    if (assignment.length) {
      logger.info(
        {
          partitions: assignment.map((tp) => partitionKey(tp.topic, tp.partition)),
          protocol: client.rebalanceProtocol(),
        },
        'partitions assigned',
      );
    }
    this.ctx.syncPauses();
  }

  private async revoke(assignment: TopicPartition[], cooperative: boolean): Promise<void> {
    const { client, partitions, flow, metrics, logger, lag } = this.ctx;
    const lost = safely(() => client.assignmentLost(), false);
    const states = assignment
      .map((tp) => partitions.get(partitionKey(tp.topic, tp.partition)))
      .filter((s): s is PartitionState => s !== undefined);
    for (const s of states) s.phase = 'revoking';
    if (!lost && !this.closing && states.length > 0) {
      const idle = await Promise.all(states.map((s) => s.whenIdle(this.ctx.revokeTimeoutMs)));
      const waiting = states.filter((_, i) => !idle[i]);
      if (waiting.length) {
        logger.warn(
          {
            partitions: waiting.map((s) => ({
              key: s.key,
              inFlight: s.tracker.inFlight,
              committable: s.tracker.committable,
            })),
          },
          'revoke timeout: in-flight records of these partitions stay uncommitted and will be read again by their next owner',
        );
      }
      await this.ctx.commit(states);
    } else if (lost) {
      logger.warn(
        { partitions: states.map((s) => s.key) },
        'assignment lost; nothing can be committed for these partitions',
      );
    }
    for (const s of states) {
      partitions.remove(s);
      flow.forget(s.id);
      lag.forget(s.topic, s.partition);
      metrics.revoked(s.topic, s.partition);
    }
    try {
      if (cooperative) client.incrementalUnassign(assignment);
      else client.unassign();
    } catch (e) {
      logger.warn({ err: e }, 'unassign failed');
    }
    if (assignment.length) logger.info({ partitions: states.map((s) => s.key), lost }, 'partitions revoked');
    this.ctx.syncPauses();
  }
}

function safely<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
