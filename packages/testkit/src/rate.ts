import {
  outcomeKind,
  parseOptions,
  safeConsume,
  type Consumer,
  type Outcome,
  type OutcomeKind,
} from '@otlp-kafka/core';
import { SIGNALS, type Signal } from '@otlp-kafka/pdata';
import { z } from 'zod';
import type { GeneratedRequest, LoadGenerator } from './load-generator.js';
import { workDelay } from './internal/work-delay.js';

export interface SendAtRateOptions {
  /** Requests started per second, on a fixed schedule. */
  requestsPerSecond: number;
  /** How long to keep starting requests; then in-flight ones are awaited. */
  durationMs: number;
  /** Signal of every request. Default: the generator's pick by weight. */
  signal?: Signal;
  /** At most this many requests awaiting an answer; the schedule slips while full. Default 64. */
  maxInFlight?: number;
}

/**
 * Where requests go: a Consumer (a pipeline's head, a processor, an exporter),
 * or a function (for example one that POSTs to a receiver) answering with an
 * Outcome, a boolean (true: accepted), or nothing (accepted). A function that
 * throws or answers false counts as failed.
 */
export type SendTarget = Consumer | ((request: GeneratedRequest) => Promise<Outcome | boolean | void>);

export interface RateReport {
  /** Requests sent. */
  readonly requests: number;
  /** Items in them. */
  readonly items: number;
  /** From the first request to the last answer. */
  readonly elapsedMs: number;
  /** Requests per outcome kind; `failed` for a function target that threw or answered false. */
  readonly byOutcome: Readonly<Record<OutcomeKind | 'failed', number>>;
  /** Ids of the items of requests answered ok or partial (a partial outcome does not say which items it refused). */
  readonly acceptedIds: readonly string[];
  /** Ids of the items of requests refused or failed: a client would send them again. */
  readonly refusedIds: readonly string[];
  /** Requests started later than one interval after their scheduled time because maxInFlight were waiting. */
  readonly late: number;
}

const schema = z
  .object({
    requestsPerSecond: z.number().positive().max(1_000_000),
    durationMs: z.number().int().nonnegative(),
    signal: z.enum(SIGNALS as [Signal, ...Signal[]]).optional(),
    maxInFlight: z.number().int().positive().default(64),
  })
  .strict();

/**
 * Sends generated requests to `target` at a fixed rate for a bounded time and
 * reports what was acknowledged. Uses the global timers, so fake timers drive it.
 */
export async function sendAtRate(
  generator: LoadGenerator,
  target: SendTarget,
  options: SendAtRateOptions,
): Promise<RateReport> {
  const o = parseOptions('sendAtRate', schema, options);
  const intervalMs = 1000 / o.requestsPerSecond;
  const total = Math.floor((o.durationMs * o.requestsPerSecond) / 1000);
  const byOutcome: Record<OutcomeKind | 'failed', number> = {
    ok: 0,
    partial: 0,
    retryable: 0,
    backpressure: 0,
    permanent: 0,
    failed: 0,
  };
  const acceptedIds: string[] = [];
  const refusedIds: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let items = 0;
  let late = 0;
  const start = Date.now();

  for (let i = 0; i < total; i++) {
    const due = start + i * intervalMs;
    const wait = due - Date.now();
    if (wait >= 1) await workDelay(wait);
    while (inFlight.size >= o.maxInFlight) await Promise.race(inFlight);
    if (Date.now() - due > intervalMs) late++;
    const request = o.signal ? generator.generate(o.signal) : generator.generate();
    items += request.ids.length;
    const p: Promise<void> = send(target, request).then((kind) => {
      byOutcome[kind]++;
      (kind === 'ok' || kind === 'partial' ? acceptedIds : refusedIds).push(...request.ids);
      inFlight.delete(p);
    });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return { requests: total, items, elapsedMs: Date.now() - start, byOutcome, acceptedIds, refusedIds, late };
}

async function send(target: SendTarget, request: GeneratedRequest): Promise<OutcomeKind | 'failed'> {
  if (typeof target !== 'function') {
    const outcome = await safeConsume(target, request.batch);
    return outcomeKind(outcome);
  }
  try {
    const answer = await target(request);
    if (answer === undefined || answer === true) return 'ok';
    if (answer === false) return 'failed';
    return outcomeKind(answer);
  } catch {
    return 'failed';
  }
}
