import {
  PipelineError,
  backpressure,
  ok,
  partial,
  permanent,
  retryable,
  type Outcome,
} from '@otlp-kafka/core';
import type { Batch } from '@otlp-kafka/pdata';
import type { SinkBehaviour } from '../sink-behaviour.js';

/** The outcome a behaviour gives `batch`, and how many of its items it rejected. */
export function outcomeFor(
  behaviour: SinkBehaviour,
  batch: Batch,
  sink: string,
): { outcome: Outcome; rejected: number } {
  const b = typeof behaviour === 'string' ? { kind: behaviour } : behaviour;
  const message = ('message' in b && b.message) || `${sink}: scripted ${b.kind}`;
  switch (b.kind) {
    case 'ok':
      return { outcome: ok(), rejected: 0 };
    case 'partial': {
      const rejected = Math.min(
        batch.itemCount,
        'rejectedItems' in b && b.rejectedItems !== undefined ? b.rejectedItems : 1,
      );
      return { outcome: rejected > 0 ? partial(rejected, message) : ok(), rejected };
    }
    case 'retryable': {
      const after = 'retryAfterMs' in b ? b.retryAfterMs : undefined;
      return {
        outcome: retryable(new PipelineError('ERR_UNAVAILABLE', message), after),
        rejected: batch.itemCount,
      };
    }
    case 'backpressure': {
      const after = 'retryAfterMs' in b ? b.retryAfterMs : undefined;
      return {
        outcome: backpressure(new PipelineError('ERR_BACKPRESSURE', message), after),
        rejected: batch.itemCount,
      };
    }
    case 'permanent':
      return {
        outcome: permanent(new PipelineError('ERR_INVALID_DATA', message)),
        rejected: batch.itemCount,
      };
  }
}

/**
 * The script of a fake exporter: a queue of one-off behaviours (failNext) in
 * front of a standing behaviour (setBehaviour), plus a pause gate.
 */
export class Script {
  private readonly queue: SinkBehaviour[] = [];
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(private standing: SinkBehaviour = 'ok') {}

  failNext(behaviour: SinkBehaviour, n = 1): void {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`failNext: n must be a non-negative integer, got ${n}`);
    for (let i = 0; i < n; i++) this.queue.push(behaviour);
  }

  setBehaviour(behaviour: SinkBehaviour): void {
    this.queue.length = 0;
    this.standing = behaviour;
  }

  /** The behaviour for the call arriving now. */
  take(): SinkBehaviour {
    return this.queue.shift() ?? this.standing;
  }

  get queued(): number {
    return this.queue.length;
  }

  pause(): void {
    if (this.gate) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  resume(): void {
    const g = this.gate;
    this.gate = undefined;
    g?.open();
  }

  /** Resolves once the sink is not paused. */
  async passGate(): Promise<void> {
    while (this.gate) await this.gate.promise;
  }
}
