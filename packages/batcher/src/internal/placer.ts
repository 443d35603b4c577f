import { PipelineError, permanent } from '@otlp-kafka/core';
import { mergeBatches, splitBatch, type Batch, type SplitLimits } from '@otlp-kafka/pdata';
import type { Caller } from './caller.js';
import type { Pending } from './pending.js';

export interface Limits {
  /** Items that trigger a send (0: none). */
  sendBatchSize: number;
  /** Item cap per outgoing batch (0: none). */
  sendBatchMaxSize: number;
  /** Byte cap per outgoing batch (0: none). */
  sendBatchMaxBytes: number;
  name: string;
}

/**
 * Puts a caller's batch into a pending batch within the caps, on the wire:
 * what fits goes in whole; otherwise the head that fills the room is split
 * off, the full pending batch is sent, and the rest goes on. A merged request
 * is the concatenation of its parts, so sizes add up exactly.
 */
export class Placer {
  private readonly maxItems: number;
  private readonly maxBytes: number;

  constructor(
    private readonly limits: Limits,
    private readonly send: (pending: Pending) => void,
  ) {
    this.maxItems = limits.sendBatchMaxSize > 0 ? limits.sendBatchMaxSize : Infinity;
    this.maxBytes = limits.sendBatchMaxBytes > 0 ? limits.sendBatchMaxBytes : Infinity;
  }

  place(pending: Pending, caller: Caller, batch: Batch): void {
    const queue: Batch[] = [batch];
    while (queue.length > 0) {
      const piece = queue.shift()!;
      const roomItems = this.maxItems - pending.items;
      const roomBytes = this.maxBytes - pending.bytes;
      if (piece.itemCount <= roomItems && piece.bytes.length <= roomBytes) {
        pending.add({ batch: piece, caller });
        if (this.full(pending)) this.send(pending);
        continue;
      }
      if (pending.empty) {
        // Alone it is over a cap: cut it into pieces that each fit an empty batch.
        const split = splitBatch(piece, this.splitLimits(this.maxItems, this.maxBytes));
        if (split.isErr() || split.value.length < 2) {
          const why = split.isErr() ? split.error.message : 'the request could not be split';
          caller.fail(
            permanent(
              new PipelineError('ERR_INVALID_DATA', `${this.limits.name}: ${why}`, {
                cause: split.isErr() ? split.error : undefined,
              }),
            ),
          );
          return;
        }
        queue.unshift(...split.value);
        continue;
      }
      const head = this.fillRoom(piece, roomItems, roomBytes);
      if (head) {
        pending.add({ batch: head.head, caller });
        queue.unshift(head.rest);
      } else {
        queue.unshift(piece);
      }
      this.send(pending);
    }
  }

  /** Splits off the head of `piece` that fits the room; undefined when none does. */
  private fillRoom(
    piece: Batch,
    roomItems: number,
    roomBytes: number,
  ): { head: Batch; rest: Batch } | undefined {
    if (roomItems <= 0 || roomBytes <= 0) return undefined;
    const split = splitBatch(piece, this.splitLimits(roomItems, roomBytes));
    if (split.isErr() || split.value.length < 2) return undefined;
    const [head, ...others] = split.value;
    if (head!.itemCount > roomItems || head!.bytes.length > roomBytes) return undefined;
    const rest = mergeBatches(others, piece.metadata);
    if (rest.isErr()) return undefined;
    return { head: head!, rest: rest.value };
  }

  private full(pending: Pending): boolean {
    const { sendBatchSize } = this.limits;
    return (
      (sendBatchSize > 0 && pending.items >= sendBatchSize) ||
      pending.items >= this.maxItems ||
      pending.bytes >= this.maxBytes
    );
  }

  private splitLimits(items: number, bytes: number): SplitLimits {
    return {
      ...(Number.isFinite(items) ? { maxItems: items } : {}),
      ...(Number.isFinite(bytes) ? { maxBytes: bytes } : {}),
    };
  }
}
