import {
  PipelineError,
  ok,
  partial,
  permanent,
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

/**
 * Settles the callers of an outgoing batch the downstream accepted only in
 * part (`partial_success`, or the Kafka exporter's items too large for a
 * record). The answer names a count, not the items: a caller with more items
 * than were refused certainly had some accepted (partial is right for it), but
 * a caller with no more items than were refused may have had all of them
 * refused, or none. Such a caller's part is sent again alone (densest first:
 * an item too large for the downstream is the likeliest) and gets the answer
 * to that, until the refused count is accounted for; the callers left then
 * share what is not (ok when nothing is). A request all of whose items are
 * refused gets that refusal, permanent, whether it went merged or alone.
 *
 * Resending a part the downstream had accepted duplicates it there (at least
 * once); it only happens on this failure path, at most once per caller.
 */
export async function attributePartial(
  ctx: IsolationContext,
  pieces: readonly Piece[],
  outcome: Outcome,
): Promise<void> {
  const rejected = rejectedOf(outcome);
  const message = messageOf(outcome).join('; ');
  const parts = [...byCaller(pieces)].map(([caller, own]) => ({
    caller,
    own,
    items: own.reduce((n, p) => n + p.batch.itemCount, 0),
    bytes: own.reduce((n, p) => n + p.batch.bytes.length, 0),
  }));
  const total = parts.reduce((n, p) => n + p.items, 0);
  if (parts.length === 1 || rejected >= total) {
    for (const p of parts) settle(p.caller, p.own, ownShare(Math.min(rejected, p.items), p.items, message));
    return;
  }
  let left = rejected;
  const open = new Set(parts);
  const byDensity = [...parts].sort((a, b) => b.bytes / b.items - a.bytes / a.items);
  const budget = { left: BISECTION_FINDS * 2 * Math.max(1, Math.ceil(Math.log2(total))) };
  for (const p of byDensity) {
    if (left === 0) break;
    if (p.items > left) continue;
    const part = partOf(ctx, p.own);
    if (!part) continue;
    ctx.resent(part.signal, part.itemCount);
    const alone = await safeConsume(ctx.next, part);
    const found = isPermanent(alone)
      ? await findRefused(ctx, budget, part, alone)
      : { outcome: alone, rejected: rejectedOf(alone) };
    open.delete(p);
    settle(p.caller, p.own, found.outcome);
    // A transient answer tells nothing about what was refused the first time.
    if (found.outcome.isOk() || isPermanent(found.outcome)) left -= Math.min(left, found.rejected);
  }
  for (const p of open) settle(p.caller, p.own, ownShare(Math.min(left, p.items), p.items, message));
}

/** A caller's share of refused items: ok, partial, or permanent when it is all of its items. */
function ownShare(rejected: number, items: number, message: string): Outcome {
  if (rejected === 0) return ok();
  if (rejected >= items) return permanent(new PipelineError('ERR_INVALID_DATA', message));
  return partial(rejected, message);
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

/**
 * The caller counts one outcome per piece: the part's outcome goes to the
 * first, ok to the rest. A partial refusing all of the part's items is the
 * refusal it is.
 */
function settle(caller: Caller, own: readonly Piece[], outcome: Outcome): void {
  const items = own.reduce((n, p) => n + p.batch.itemCount, 0);
  const rejected = rejectedOf(outcome);
  const answer =
    rejected > 0 && rejected >= items ? ownShare(rejected, items, messageOf(outcome).join('; ')) : outcome;
  own.forEach((_, i) => caller.pieceDone(i === 0 ? answer : ok()));
}
