import { PipelineError, permanent, type Outcome } from '@otlp-kafka/core';
import type { Batch, Signal } from '@otlp-kafka/pdata';
import type { CountReport, CountingSink, ExpectedIds } from '../counting-sink.js';
import { itemIds } from '../item-ids.js';
import { ScriptedSink, type ScriptedSinkSettings } from './scripted-sink.js';

export class CountingSinkImpl extends ScriptedSink implements CountingSink {
  private readonly seen = new Map<string, number>();
  private readonly perSignal: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };
  private unidentified = 0;
  private deliveries = 0;

  constructor(settings: ScriptedSinkSettings) {
    super(settings);
  }

  protected accept(batch: Batch, rejectedItems: number): Outcome | undefined {
    const ids = itemIds(batch);
    if (ids.isErr())
      return permanent(
        new PipelineError('ERR_INVALID_DATA', `${this.name}: ${ids.error.message}`, { cause: ids.error }),
      );
    // A partial outcome rejects the batch's last items.
    const kept = ids.value.slice(0, ids.value.length - rejectedItems);
    for (const id of kept) {
      if (id === '') this.unidentified++;
      else this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
    }
    this.deliveries += kept.length;
    this.perSignal[batch.signal] += kept.length;
    return undefined;
  }

  get uniqueItems(): number {
    return this.seen.size;
  }

  get bySignal(): Readonly<Record<Signal, number>> {
    return { ...this.perSignal };
  }

  count(id: string): number {
    return this.seen.get(id) ?? 0;
  }

  report(expected?: ExpectedIds): CountReport {
    const duplicatedIds: string[] = [];
    for (const [id, n] of this.seen) if (n > 1) duplicatedIds.push(id);
    const lostIds: string[] = [];
    const unexpectedIds: string[] = [];
    let sent = this.seen.size;
    if (expected) {
      const want = new Set(idsOf(expected));
      sent = want.size;
      for (const id of want) if (!this.seen.has(id)) lostIds.push(id);
      for (const id of this.seen.keys()) if (!want.has(id)) unexpectedIds.push(id);
    }
    return {
      sent,
      delivered: sent - lostIds.length,
      lost: lostIds.length,
      duplicated: duplicatedIds.length,
      unexpected: unexpectedIds.length,
      unidentified: this.unidentified,
      deliveries: this.deliveries,
      lostIds,
      duplicatedIds,
      unexpectedIds,
      exact:
        lostIds.length === 0 &&
        duplicatedIds.length === 0 &&
        unexpectedIds.length === 0 &&
        this.unidentified === 0,
    };
  }

  waitForIds(expected: ExpectedIds, timeoutMs = 10_000): Promise<void> {
    const remaining = new Set(idsOf(expected));
    const total = remaining.size;
    return this.waitUntil(
      () => {
        for (const id of remaining) if (this.seen.has(id)) remaining.delete(id);
        return remaining.size === 0;
      },
      timeoutMs,
      `${total} ids`,
    );
  }

  override clear(): void {
    super.clear();
    this.seen.clear();
    this.perSignal.traces = this.perSignal.metrics = this.perSignal.logs = 0;
    this.unidentified = 0;
    this.deliveries = 0;
  }
}

function idsOf(expected: ExpectedIds): Iterable<string> {
  return 'ids' in expected && typeof expected.ids === 'function'
    ? expected.ids()
    : (expected as Iterable<string>);
}
