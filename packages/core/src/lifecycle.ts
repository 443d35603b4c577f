import { PipelineError } from './errors.js';
import { retryable, type Outcome } from './outcome.js';
import { deadlineIn, type Deadline } from './time.js';

/** `failed`: start() rejected. Only `started` takes data. */
export type LifecycleState = 'new' | 'starting' | 'started' | 'failed' | 'stopping' | 'stopped';

/** What a caller (the pipeline, a service) may pass to `shutdown()`. */
export interface ShutdownOptions {
  /**
   * Finish within this long from now: the time the caller has left. A
   * component's own shutdownTimeoutMs still caps it. Absent: the component's own.
   */
  timeoutMs?: number;
}

/** Handed to a component's shutdown work. */
export interface StopContext {
  /** One budget for every step of this shutdown. */
  readonly deadline: Deadline;
  /** start() had finished successfully: there is work to drain. */
  readonly started: boolean;
}

/**
 * The lifecycle rules every component follows, in one place:
 * - start() runs its work once; later calls return the same promise. After
 *   shutdown began, a first start() rejects with ERR_SHUTDOWN.
 * - shutdown() runs its work once and every call returns the same promise. It
 *   refuses new data at once, waits for a start in progress to settle (within
 *   the deadline: a start stuck connecting must not hold a SIGTERM), then runs
 *   with that one deadline: the caller's time left, capped by the component's own timeout.
 * - refusal() is what consume() answers when the component does not take data:
 *   retryable ERR_NOT_STARTED before start finished, ERR_SHUTDOWN once shutdown
 *   began, each naming the component. Retryable, because the data is fine: a
 *   sender tries again (or another instance takes it).
 */
export interface Lifecycle {
  readonly state: LifecycleState;
  /** started, and shutdown has not begun. */
  readonly running: boolean;
  start(work: () => Promise<void> | void): Promise<void>;
  shutdown(work: (ctx: StopContext) => Promise<void> | void, options?: ShutdownOptions): Promise<void>;
  /** Undefined while running; otherwise the retryable outcome consume() should resolve with. */
  refusal(): Outcome | undefined;
}

export interface LifecycleOptions {
  /** The component's own bound on shutdown. Default: none (only the caller's). */
  shutdownTimeoutMs?: number;
  /** Clock of the deadline; default Date.now. */
  now?: () => number;
}

export function createLifecycle(name: string, options: LifecycleOptions = {}): Lifecycle {
  let state: LifecycleState = 'new';
  let started: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  const own = options.shutdownTimeoutMs ?? Number.POSITIVE_INFINITY;

  return {
    get state() {
      return state;
    },
    get running() {
      return state === 'started';
    },
    start(work) {
      if (started) return started;
      if (stopped)
        return Promise.reject(new PipelineError('ERR_SHUTDOWN', `${name}: start() after shutdown`));
      state = 'starting';
      started = (async () => {
        try {
          await work();
        } catch (e) {
          if (state === 'starting') state = 'failed';
          throw e;
        }
        // A shutdown that began meanwhile wins.
        if (state === 'starting') state = 'started';
      })();
      return started;
    },
    shutdown(work, shutdownOptions) {
      if (stopped) return stopped;
      const deadline = deadlineIn(Math.min(own, shutdownOptions?.timeoutMs ?? own), options.now);
      const before = state;
      state = 'stopping';
      stopped = (async () => {
        let ok = before === 'started';
        if (before === 'starting') ok = await settledWithin(started!, deadline);
        try {
          await work({ deadline, started: ok });
        } finally {
          state = 'stopped';
        }
      })();
      return stopped;
    },
    refusal() {
      switch (state) {
        case 'started':
          return undefined;
        case 'new':
          return retryable(new PipelineError('ERR_NOT_STARTED', `${name}: not started (call start() first)`));
        case 'starting':
          return retryable(new PipelineError('ERR_NOT_STARTED', `${name}: still starting`));
        case 'failed':
          return retryable(new PipelineError('ERR_NOT_STARTED', `${name}: start failed`));
        case 'stopping':
          return retryable(new PipelineError('ERR_SHUTDOWN', `${name}: shutting down`));
        case 'stopped':
          return retryable(new PipelineError('ERR_SHUTDOWN', `${name}: shut down`));
      }
    },
  };
}

/** True when `start` succeeded before the deadline; false when it failed or is still running then. */
async function settledWithin(start: Promise<void>, deadline: Deadline): Promise<boolean> {
  const outcome = start.then(
    () => true,
    () => false,
  );
  const ms = deadline.remainingMs();
  if (!Number.isFinite(ms)) return outcome;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([outcome, expired]);
  } finally {
    clearTimeout(timer);
  }
}
