import { Err, Ok, type Result } from 'ts-results-es';
import { PipelineError } from './errors.js';

/** The data is durably accepted downstream (`partial`: except `rejectedItems`, refused for good). */
export type Accepted =
  | { readonly kind: 'ok' }
  | { readonly kind: 'partial'; readonly rejectedItems: number; readonly message: string };

/** The data was not accepted. Only `permanent` means: do not send it again. */
export type Refused =
  | { readonly kind: 'retryable'; readonly error: PipelineError; readonly retryAfterMs?: number }
  | { readonly kind: 'backpressure'; readonly error: PipelineError; readonly retryAfterMs?: number }
  | { readonly kind: 'permanent'; readonly error: PipelineError };

/**
 * What `consume()` resolves with. It never rejects: failures are values.
 * Ok only once every exporter behind the consumer durably accepted the data.
 */
export type Outcome = Result<Accepted, Refused>;

export type OutcomeKind = Accepted['kind'] | Refused['kind'];

const OK: Outcome = Ok(Object.freeze({ kind: 'ok' as const }));

export function ok(): Outcome {
  return OK;
}

export function partial(rejectedItems: number, message: string): Outcome {
  return Ok({ kind: 'partial', rejectedItems, message });
}

export function retryable(error: PipelineError | string, retryAfterMs?: number): Outcome {
  const e = typeof error === 'string' ? new PipelineError('ERR_UNAVAILABLE', error) : error;
  return Err(
    retryAfterMs === undefined
      ? { kind: 'retryable', error: e }
      : { kind: 'retryable', error: e, retryAfterMs },
  );
}

export function backpressure(error: PipelineError | string, retryAfterMs?: number): Outcome {
  const e = typeof error === 'string' ? new PipelineError('ERR_BACKPRESSURE', error) : error;
  return Err(
    retryAfterMs === undefined
      ? { kind: 'backpressure', error: e }
      : { kind: 'backpressure', error: e, retryAfterMs },
  );
}

export function permanent(error: PipelineError | string): Outcome {
  const e = typeof error === 'string' ? new PipelineError('ERR_INVALID_DATA', error) : error;
  return Err({ kind: 'permanent', error: e });
}

export function outcomeKind(outcome: Outcome): OutcomeKind {
  return outcome.isOk() ? outcome.value.kind : outcome.error.kind;
}

// Retryable outranks permanent: when one exporter failed transiently the data
// must be sent again, or that exporter loses it.
const RANK: Record<OutcomeKind, number> = { ok: 0, partial: 1, permanent: 2, backpressure: 3, retryable: 4 };

/**
 * The worst of several outcomes. Partial counts add up: right for outcomes of
 * disjoint items (the pieces of a split batch). Fan-out, where every consumer
 * saw the same items, reports the largest count instead (fan-out.ts).
 */
export function worst(outcomes: readonly Outcome[]): Outcome {
  let result: Outcome = OK;
  let rejected = 0;
  const messages: string[] = [];
  for (const o of outcomes) {
    if (o.isOk() && o.value.kind === 'partial') {
      rejected += o.value.rejectedItems;
      messages.push(o.value.message);
    }
    if (RANK[outcomeKind(o)] > RANK[outcomeKind(result)]) result = o;
  }
  if (result.isOk() && rejected > 0) return partial(rejected, messages.join('; '));
  return result;
}

/** Delay a client should wait before retrying, when the outcome suggests one. */
export function retryAfterMs(outcome: Outcome): number | undefined {
  if (outcome.isOk() || outcome.error.kind === 'permanent') return undefined;
  return outcome.error.retryAfterMs;
}

/** The error of a refused outcome (retryable, backpressure, permanent); undefined when accepted. */
export function refusalOf(outcome: Outcome): PipelineError | undefined {
  return outcome.isErr() ? outcome.error.error : undefined;
}

/** Items an accepted outcome rejected for good (0 for ok); undefined for a refusal, which took none. */
export function rejectedItemsOf(outcome: Outcome): number | undefined {
  if (outcome.isErr()) return undefined;
  return outcome.value.kind === 'partial' ? outcome.value.rejectedItems : 0;
}
