import { PipelineError, retryable, worst, type Outcome } from '@otlp-kafka/core';

/**
 * One consume() call waiting for the outgoing batches that carry its items.
 * It settles once it is sealed (all its items placed) and every piece it
 * placed has an outcome: the worst of them.
 */
export class Caller {
  private readonly outcomes: Outcome[] = [];
  private pieces = 0;
  private sealed = false;
  settled = false;
  readonly promise: Promise<Outcome>;
  private resolve!: (outcome: Outcome) => void;

  constructor(
    readonly bytes: number,
    readonly items: number,
    private readonly onSettle: (caller: Caller) => void,
  ) {
    this.promise = new Promise<Outcome>((resolve) => (this.resolve = resolve));
  }

  private placedItems = 0;
  private failed = false;

  /** A piece of this caller's data went into a pending batch. */
  placed(items: number): void {
    this.pieces++;
    this.placedItems += items;
  }

  /** The outgoing batch carrying one of its pieces settled. */
  pieceDone(outcome: Outcome): void {
    this.pieces--;
    this.outcomes.push(outcome);
    this.check();
  }

  /** Part of its data could not be placed at all (bad data); the rest still counts. */
  fail(outcome: Outcome): void {
    this.failed = true;
    this.outcomes.push(outcome);
  }

  /**
   * All its data is placed (or failed); from now on the last piece settles it.
   * A safety net for the acknowledgement rule: if the pieces placed do not add
   * up to its items, it can never be ok.
   */
  seal(): void {
    if (!this.failed && this.placedItems !== this.items)
      this.fail(
        retryable(
          new PipelineError(
            'ERR_INTERNAL',
            `batcher placed ${this.placedItems} of ${this.items} items of a request`,
          ),
        ),
      );
    this.sealed = true;
    this.check();
  }

  /** Settles now whatever is still pending (shutdown timeout). */
  abandon(outcome: Outcome): void {
    this.outcomes.push(outcome);
    this.finish();
  }

  private check(): void {
    if (this.sealed && this.pieces === 0) this.finish();
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle(this);
    this.resolve(worst(this.outcomes));
  }
}
