import {
  ok,
  partial,
  safeConsume,
  worst,
  type BatchMetadata,
  type Consumer,
  type Outcome,
} from '@otlp-kafka/core';
import { mergeBatches, splitBatch, type Batch } from '@otlp-kafka/pdata';
import type { Caller } from './caller.js';
import type { Piece } from './pending.js';

export interface IsolationContext {
  readonly next: Consumer;
  readonly metadata: BatchMetadata;
  /** One more request sent only to find which items the downstream refuses. */
  readonly resent: (signal: Batch['signal'], items: number) => void;
}

/**
 * Bisection finds up to this many refused items per outgoing batch exactly;
 * past that, what is still undetermined keeps the refusal. A downstream that
 * refuses everything for good (not bad items: a bad config, say) would
 * otherwise cost two sends per item.
 */
const BISECTION_FINDS = 8;

interface Budget {
  left: number;
}

/**
 * Settles the callers of an outgoing batch the downstream refused for good.
 *
 * A merged request is refused as a whole when any of its items is bad (one
 * AnyValue nested too deep is enough for INVALID_ARGUMENT), which would take
 * every other caller's valid data with it. So each caller's part is sent again
 * alone; a part refused again that holds more than one item is bisected on
 * the wire until the refused items are found. Each caller gets its own
 * outcome: ok, partial with the items refused, or permanent when all were.
 *
 * Bounded: the part sends are one per caller; each bisection level halves the
 * items, so a part of n items goes at most ceil(log2 n) levels deep, and a
 * level only splits the halves refused at the level above. Sends go one at a
 * time: this is the failure path, and it must not flood a downstream that is
 * already refusing.
 *
 * Only called on a permanent refusal: the happy path keeps nothing extra.
 */
export async function isolate(
  ctx: IsolationContext,
  pieces: readonly Piece[],
  refusal: Outcome,
): Promise<void> {
  const parts = byCaller(pieces);
  const items = pieces.reduce((n, p) => n + p.batch.itemCount, 0);
  // Finding one refused item among n costs at most 2 sends per level, ceil(log2 n) levels.
  const budget = { left: BISECTION_FINDS * 2 * Math.max(1, Math.ceil(Math.log2(items))) };
  if (parts.size === 1) {
    // One caller: resending its part whole would only repeat the refusal.
    for (const [caller, own] of parts)
      settle(caller, own, await bisect(ctx, budget, partOf(ctx, own), refusal));
    return;
  }
  for (const [caller, own] of parts) {
    const part = partOf(ctx, own);
    if (!part) {
      settle(caller, own, refusal);
      continue;
    }
    ctx.resent(part.signal, part.itemCount);
    const outcome = await safeConsume(ctx.next, part);
    settle(caller, own, isPermanent(outcome) ? await bisect(ctx, budget, part, outcome) : outcome);
  }
}

/** What a part came to: its outcome, and how many of its items were refused for good. */
interface Finding {
  readonly outcome: Outcome;
  readonly rejected: number;
}

/**
 * The outcome of a part the downstream refused with `refusal`: its halves are
 * sent, and each half refused again is bisected in turn, down to single items.
 */
async function bisect(
  ctx: IsolationContext,
  budget: Budget,
  part: Batch | undefined,
  refusal: Outcome,
): Promise<Outcome> {
  return part ? (await findRefused(ctx, budget, part, refusal)).outcome : refusal;
}

async function findRefused(
  ctx: IsolationContext,
  budget: Budget,
  part: Batch,
  refusal: Outcome,
): Promise<Finding> {
  const whole = { outcome: refusal, rejected: part.itemCount };
  if (part.itemCount <= 1 || budget.left < 2) return whole;
  const halves = splitBatch(part, { maxItems: Math.ceil(part.itemCount / 2) });
  // Not splittable (one record past every boundary): all of it stays refused.
  if (halves.isErr() || halves.value.length < 2) return whole;
  const findings: Finding[] = [];
  budget.left -= halves.value.length;
  for (const half of halves.value) {
    ctx.resent(half.signal, half.itemCount);
    const outcome = await safeConsume(ctx.next, half);
    findings.push(
      isPermanent(outcome)
        ? await findRefused(ctx, budget, half, outcome)
        : { outcome, rejected: rejectedOf(outcome) },
    );
  }
  return combine(part.itemCount, findings, refusal);
}

/**
 * The halves' findings as one: a transient failure in any half wins (the
 * caller must send again: at-least-once), else the refused items add up.
 */
function combine(items: number, findings: readonly Finding[], refusal: Outcome): Finding {
  const rejected = findings.reduce((n, f) => n + f.rejected, 0);
  const transient = findings.filter((f) => f.outcome.isErr() && !isPermanent(f.outcome));
  if (transient.length > 0) return { outcome: worst(transient.map((f) => f.outcome)), rejected: 0 };
  if (rejected >= items) return { outcome: refusal, rejected: items };
  if (rejected === 0) return { outcome: ok(), rejected: 0 };
  const messages = new Set(findings.flatMap((f) => messageOf(f.outcome)));
  return { outcome: partial(rejected, [...messages].join('; ')), rejected };
}

function messageOf(o: Outcome): string[] {
  if (o.isErr()) return [o.error.error.message];
  return o.value.kind === 'partial' ? [o.value.message] : [];
}

function rejectedOf(o: Outcome): number {
  return o.isOk() && o.value.kind === 'partial' ? o.value.rejectedItems : 0;
}

function isPermanent(o: Outcome): boolean {
  return o.isErr() && o.error.kind === 'permanent';
}

function byCaller(pieces: readonly Piece[]): Map<Caller, Piece[]> {
  const parts = new Map<Caller, Piece[]>();
  for (const p of pieces) {
    const own = parts.get(p.caller);
    if (own) own.push(p);
    else parts.set(p.caller, [p]);
  }
  return parts;
}

/** A caller's pieces in this outgoing batch as one request; undefined when they cannot be joined. */
function partOf(ctx: IsolationContext, own: readonly Piece[]): Batch | undefined {
  const merged = mergeBatches(
    own.map((p) => p.batch),
    ctx.metadata,
  );
  return merged.isOk() ? merged.value : undefined;
}

/** The caller counts one outcome per piece: the part's outcome goes to the first, ok to the rest. */
function settle(caller: Caller, own: readonly Piece[], outcome: Outcome): void {
  own.forEach((_, i) => caller.pieceDone(i === 0 ? outcome : ok()));
}
