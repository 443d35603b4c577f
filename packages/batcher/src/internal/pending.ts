import type { Batch, BatchMetadata } from '@otlp-kafka/core';
import type { Caller } from './caller.js';

/** Part of one caller's data, whole or split off, waiting in a pending batch. */
export interface Piece {
  readonly batch: Batch;
  readonly caller: Caller;
}

/**
 * The batch being filled for one signal + topic + metadata-key combination,
 * and the sends of that key still in flight (group commit: a partly filled
 * batch goes when a send slot is free, so it gathers only while others fly).
 */
export class Pending {
  pieces: Piece[] = [];
  items = 0;
  bytes = 0;
  /** Outgoing batches of this key whose outcome is not known yet. */
  inFlight = 0;
  /** The longest wait of the first item: sends whatever a free slot has not. */
  timer: NodeJS.Timeout | undefined;
  /** A send scheduled for the end of this event-loop turn (lingerMs 0)... */
  dispatchImmediate: NodeJS.Immediate | undefined;
  /** ...or after the linger. */
  dispatchTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly key: string,
    readonly metadata: BatchMetadata,
  ) {}

  get empty(): boolean {
    return this.pieces.length === 0;
  }

  /** Nothing waiting and nothing in flight: the key can be forgotten. */
  get idle(): boolean {
    return this.pieces.length === 0 && this.inFlight === 0;
  }

  add(piece: Piece): void {
    this.pieces.push(piece);
    this.items += piece.batch.itemCount;
    this.bytes += piece.batch.bytes.length;
    piece.caller.placed(piece.batch.itemCount);
  }

  /** Takes every piece out, leaving the pending batch empty and its timers cleared. */
  take(): Piece[] {
    const pieces = this.pieces;
    this.pieces = [];
    this.items = 0;
    this.bytes = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cancelDispatch();
    return pieces;
  }

  get dispatchScheduled(): boolean {
    return this.dispatchImmediate !== undefined || this.dispatchTimer !== undefined;
  }

  cancelDispatch(): void {
    if (this.dispatchImmediate !== undefined) clearImmediate(this.dispatchImmediate);
    if (this.dispatchTimer !== undefined) clearTimeout(this.dispatchTimer);
    this.dispatchImmediate = undefined;
    this.dispatchTimer = undefined;
  }
}

/**
 * The pending-batch key of a batch and the metadata its outgoing batches
 * carry: the signal, the topic override and the values of `metadataKeys`.
 * Other metadata (client address, other headers) differs between callers
 * and is not carried.
 */
export function keyOf(
  batch: Batch,
  metadataKeys: readonly string[],
): { key: string; metadata: BatchMetadata } {
  const { topic, headers } = batch.metadata;
  const parts: unknown[] = [batch.signal, topic ?? null];
  let kept: Record<string, readonly string[]> | undefined;
  for (const k of metadataKeys) {
    const values = headers?.[k] ?? [];
    parts.push(values);
    if (values.length > 0) (kept ??= {})[k] = values;
  }
  const metadata: BatchMetadata = {
    ...(topic !== undefined ? { topic } : {}),
    ...(kept ? { headers: kept } : {}),
  };
  return { key: JSON.stringify(parts), metadata };
}
