import type { Batch, PdataError } from '@otlp-kafka/pdata';
import type { Result } from 'ts-results-es';
import type { Consumer, Processor, ProcessorFactory } from './component.js';
import { invalidOptions, PipelineError, toPipelineError } from './errors.js';
import { safeConsume } from './fan-out.js';
import { createInFlight } from './in-flight.js';
import { createLifecycle, type ShutdownOptions } from './lifecycle.js';
import { ok, permanent, type Outcome } from './outcome.js';
import { noopLogger, type Logger } from './telemetry.js';

/**
 * What a processing function answers:
 * - a Batch: passed on (the same batch, or a new one); one with no items is answered ok without passing it on;
 * - a Result of a Batch (what pdata's wire operations return): Ok passes its batch on, Err is a permanent refusal;
 * - an Outcome: answered as it is, nothing passed on (a refusal, or ok to drop the batch on purpose);
 * - undefined: the batch is dropped on purpose, answered ok.
 */
export type ProcessResult = Batch | Result<Batch, PdataError | Error> | Outcome | undefined;

export interface FunctionProcessorOptions {
  /** Names the processor in errors and logs. Default 'function'. */
  name?: string;
  /** The work, once per batch. A throw or rejection is a permanent refusal with ERR_PROCESSOR, logged. */
  process: (batch: Batch) => ProcessResult | Promise<ProcessResult>;
  /** Runs once in start(), before any batch. Default none. */
  start?: () => Promise<void> | void;
  /** Runs once in shutdown(), after batches in flight settled. Default none. */
  shutdown?: () => Promise<void> | void;
  /** Bound on shutdown's wait for batches in flight. Default 30000. */
  shutdownTimeoutMs?: number;
  /** Default: discards. */
  logger?: Logger;
}

export const FUNCTION_PROCESSOR_DEFAULTS = {
  name: 'function',
  shutdownTimeoutMs: 30_000,
} as const satisfies Partial<FunctionProcessorOptions>;

/**
 * Turns a function into a processor with the lifecycle done: refusals before
 * start and after shutdown began, in-flight tracking so shutdown waits for
 * batches still being passed on, and the next consumer's outcome answered
 * as the processor's. The pipeline shuts `next` down after it.
 */
export function createFunctionProcessor(options: FunctionProcessorOptions): ProcessorFactory {
  const name = options.name ?? FUNCTION_PROCESSOR_DEFAULTS.name;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? FUNCTION_PROCESSOR_DEFAULTS.shutdownTimeoutMs;
  const component = `processor ${name}`;
  if (typeof options.process !== 'function') throw invalidOptions(component, 'process must be a function');
  if (!Number.isInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 0)
    throw invalidOptions(component, 'shutdownTimeoutMs must be a non-negative integer');
  const logger = options.logger ?? noopLogger;
  return (next: Consumer): Processor => {
    const lifecycle = createLifecycle(component, { shutdownTimeoutMs });
    const inFlight = createInFlight();
    const run = async (batch: Batch): Promise<Outcome> => {
      let result: ProcessResult;
      try {
        result = await options.process(batch);
      } catch (e) {
        logger.error({ err: e, items: batch.itemCount }, `${component}: process failed`);
        return permanent(
          new PipelineError('ERR_PROCESSOR', `${component}: ${toPipelineError(e).message}`, { cause: e }),
        );
      }
      const out = toBatch(result);
      if (out === undefined) return ok();
      if ('outcome' in out) return out.outcome;
      if (out.batch.itemCount === 0) return ok();
      return safeConsume(next, out.batch);
    };
    const toBatch = (r: ProcessResult): { batch: Batch } | { outcome: Outcome } | undefined => {
      if (r === undefined) return undefined;
      if (isBatch(r)) return { batch: r };
      if (r.isOk()) return isBatch(r.value) ? { batch: r.value } : { outcome: r as Outcome };
      const e: unknown = r.error;
      if (isRefusal(e)) return { outcome: r as Outcome };
      const message = e instanceof Error ? e.message : String(e);
      return {
        outcome: permanent(new PipelineError('ERR_INVALID_DATA', `${component}: ${message}`, { cause: e })),
      };
    };
    return {
      start: () => lifecycle.start(async () => options.start?.()),
      consume(batch: Batch): Promise<Outcome> {
        const refused = lifecycle.refusal();
        if (refused) return Promise.resolve(refused);
        return inFlight.track(run(batch));
      },
      shutdown: (o?: ShutdownOptions) =>
        lifecycle.shutdown(async ({ deadline, started }) => {
          if (!(await inFlight.drain(Math.max(0, Math.round(deadline.remainingMs())))))
            logger.warn(
              { inFlight: inFlight.size },
              `${component}: shutdown timed out with batches in flight`,
            );
          if (started) await options.shutdown?.();
        }, o),
    };
  };
}

function isBatch(v: unknown): v is Batch {
  return typeof v === 'object' && v !== null && 'bytes' in v && 'signal' in v && 'itemCount' in v;
}

/** The error side of an Outcome (Refused: { kind, error }). */
function isRefusal(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'kind' in v && !(v instanceof Error);
}
