import {
  PipelineError,
  createInFlight,
  createLifecycle,
  type Exporter,
  type Lifecycle,
  type Outcome,
  type ShutdownOptions,
} from '@otlp-kafka/core';
import type { Batch } from '@otlp-kafka/pdata';
import type { SinkBehaviour } from '../sink-behaviour.js';
import { Script, outcomeFor } from './script.js';
import { workDelay } from './work-delay.js';

/** One consume() call a scripted sink saw; `outcome` is set once it settled. */
export interface SinkCall {
  readonly batch: Batch;
  outcome?: Outcome;
}

export interface ScriptedSinkSettings {
  name: string;
  delayMs: number;
  behaviour: SinkBehaviour;
  shutdownTimeoutMs: number;
  keepBatches: boolean;
}

interface Waiter {
  done: () => boolean;
  resolve: () => void;
}

/**
 * The mechanics shared by the test sinks: a script of outcomes, an optional
 * delay and pause, in-flight tracking for shutdown, and waiters. Subclasses
 * decide what acceptance records (`accept`).
 */
export abstract class ScriptedSink implements Exporter {
  readonly name: string;
  delayMs: number;
  protected readonly script: Script;
  private readonly inFlightWork = createInFlight();
  private readonly keepBatches: boolean;
  private readonly lifecycle: Lifecycle;
  private readonly callList: SinkCall[] = [];
  private readonly batchList: Batch[] = [];
  private readonly waiters = new Set<Waiter>();
  private itemsAccepted = 0;
  private itemsRejected = 0;
  private callCount = 0;
  private settledCount = 0;

  protected constructor(settings: ScriptedSinkSettings) {
    this.name = settings.name;
    this.delayMs = settings.delayMs;
    this.script = new Script(settings.behaviour);
    this.keepBatches = settings.keepBatches;
    // A fake that took data before start() would hide the bug the rule catches: a pipeline never started.
    this.lifecycle = createLifecycle(settings.name, { shutdownTimeoutMs: settings.shutdownTimeoutMs });
  }

  /** Records an accepted batch; may refuse it (bad data) by returning an outcome. */
  protected abstract accept(batch: Batch, rejectedItems: number): Outcome | undefined;

  get batches(): readonly Batch[] {
    return this.batchList;
  }
  get calls(): readonly SinkCall[] {
    return this.callList;
  }
  /** consume() calls received (while started). */
  get callsMade(): number {
    return this.callCount;
  }
  /** consume() calls answered. */
  get callsSettled(): number {
    return this.settledCount;
  }
  get items(): number {
    return this.itemsAccepted;
  }
  get rejectedItems(): number {
    return this.itemsRejected;
  }
  get inFlight(): number {
    return this.inFlightWork.size;
  }
  get started(): boolean {
    return this.lifecycle.state === 'started';
  }
  /** From the moment shutdown() was called. */
  get stopped(): boolean {
    return this.lifecycle.state === 'stopping' || this.lifecycle.state === 'stopped';
  }

  failNext(behaviour: SinkBehaviour, n = 1): void {
    this.script.failNext(behaviour, n);
  }
  setBehaviour(behaviour: SinkBehaviour): void {
    this.script.setBehaviour(behaviour);
  }
  pause(): void {
    this.script.pause();
  }
  resume(): void {
    this.script.resume();
  }

  start(): Promise<void> {
    return this.lifecycle.start(() => {});
  }

  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.lifecycle.shutdown(async ({ deadline }) => {
      await this.inFlightWork.drain(deadline.remainingMs());
    }, options);
  }

  /** Before start() and once shutdown() began: retryable ERR_NOT_STARTED / ERR_SHUTDOWN, like every component. */
  consume(batch: Batch): Promise<Outcome> {
    const refused = this.lifecycle.refusal();
    if (refused) return Promise.resolve(refused);
    this.callCount++;
    const behaviour = this.script.take();
    const call: SinkCall = { batch };
    if (this.keepBatches) this.callList.push(call);
    return this.inFlightWork.track(this.answer(call, behaviour));
  }

  private async answer(call: SinkCall, behaviour: SinkBehaviour): Promise<Outcome> {
    await this.script.passGate();
    if (this.delayMs > 0) await workDelay(this.delayMs);
    const { batch } = call;
    const scripted = outcomeFor(behaviour, batch, this.name);
    const rejected = scripted.rejected;
    let outcome = scripted.outcome;
    if (outcome.isOk()) {
      const refused = this.accept(batch, rejected);
      if (refused) {
        outcome = refused;
      } else {
        if (this.keepBatches) this.batchList.push(batch);
        this.itemsAccepted += batch.itemCount - rejected;
        this.itemsRejected += rejected;
      }
    }
    call.outcome = outcome;
    this.settledCount++;
    for (const w of this.waiters) {
      if (w.done()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
    return outcome;
  }

  /** Resolves when `done()` holds after some call settles (or at once); rejects after `timeoutMs`. */
  protected waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        done,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new PipelineError('ERR_TIMEOUT', `${this.name}: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.waiters.add(waiter);
    });
  }

  waitForItems(n: number, timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(() => this.itemsAccepted >= n, timeoutMs, `${n} items`);
  }

  waitForCalls(n: number, timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(() => this.settledCount >= n, timeoutMs, `${n} settled calls`);
  }

  /** Forgets recorded batches, calls and counts (not the script). */
  clear(): void {
    this.batchList.length = 0;
    this.callList.length = 0;
    this.itemsAccepted = 0;
    this.itemsRejected = 0;
    this.callCount = 0;
    this.settledCount = 0;
  }
}
