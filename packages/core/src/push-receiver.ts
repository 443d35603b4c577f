import { SIGNALS, type Batch, type Signal } from '@otlp-kafka/pdata';
import type { Consumer, Receiver } from './component.js';
import { invalidOptions, PipelineError } from './errors.js';
import { safeConsume } from './fan-out.js';
import { createInFlight } from './in-flight.js';
import { createLifecycle, type ShutdownOptions } from './lifecycle.js';
import { permanent, type Outcome } from './outcome.js';

/**
 * A receiver fed from code: put it in a pipeline's `receivers`, then hand it
 * batches with `consume()` (it is a Consumer too, so an SDK exporter bridge or
 * any producer of batches can write into the pipeline). Each call resolves
 * with the pipeline's outcome for that batch, under the usual rules: retryable
 * ERR_NOT_STARTED before the pipeline started it, ERR_SHUTDOWN once it stops.
 */
export interface PushReceiver extends Receiver, Consumer {}

export interface PushReceiverOptions {
  /** Names the receiver in errors. Default 'push'. */
  name?: string;
  /** The signals it may be connected for. Default all three. */
  signals?: readonly Signal[];
  /** Bound on shutdown's wait for batches still in the pipeline. Default 30000. */
  shutdownTimeoutMs?: number;
}

export const PUSH_RECEIVER_DEFAULTS = {
  name: 'push',
  signals: SIGNALS,
  shutdownTimeoutMs: 30_000,
} as const satisfies Required<PushReceiverOptions>;

export function createPushReceiver(options: PushReceiverOptions = {}): PushReceiver {
  const name = options.name ?? PUSH_RECEIVER_DEFAULTS.name;
  const signals = options.signals ?? PUSH_RECEIVER_DEFAULTS.signals;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? PUSH_RECEIVER_DEFAULTS.shutdownTimeoutMs;
  if (signals.length === 0 || signals.some((s) => !SIGNALS.includes(s)))
    throw invalidOptions(`push receiver ${name}`, `signals must be some of ${SIGNALS.join(', ')}`);
  if (!Number.isInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 0)
    throw invalidOptions(`push receiver ${name}`, 'shutdownTimeoutMs must be a non-negative integer');
  const lifecycle = createLifecycle(`push receiver ${name}`, { shutdownTimeoutMs });
  const inFlight = createInFlight();
  const next = new Map<Signal, Consumer>();
  return {
    signals,
    connect(signal: Signal, consumer: Consumer): void {
      if (!signals.includes(signal))
        throw invalidOptions(
          `push receiver ${name}`,
          `it does not take ${signal} (signals: ${signals.join(', ')})`,
        );
      if (lifecycle.state !== 'new')
        throw invalidOptions(`push receiver ${name}`, 'connect() must be called before start()');
      next.set(signal, consumer);
    },
    start: () => lifecycle.start(() => undefined),
    consume(batch: Batch): Promise<Outcome> {
      const refused = lifecycle.refusal();
      if (refused) return Promise.resolve(refused);
      const consumer = next.get(batch.signal);
      if (!consumer)
        return Promise.resolve(
          permanent(
            new PipelineError(
              'ERR_NOT_CONNECTED',
              `push receiver ${name} has no ${batch.signal} pipeline (connected: ${[...next.keys()].join(', ') || 'none'})`,
            ),
          ),
        );
      return inFlight.track(safeConsume(consumer, batch));
    },
    shutdown: (o?: ShutdownOptions) =>
      lifecycle.shutdown(async ({ deadline }) => {
        await inFlight.drain(Math.max(0, Math.round(deadline.remainingMs())));
      }, o),
  };
}
