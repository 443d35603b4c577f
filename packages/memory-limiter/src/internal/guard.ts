import { PipelineError, type Logger } from '@otlp-kafka/core';
import type { MemoryLimiterState, MemoryLimits } from '../state.js';
import { toMib } from './limits.js';

export interface GuardConfig {
  limits: MemoryLimits;
  checkIntervalMs: number;
  memoryPerRequestByte: number;
  readMemoryBytes: () => number;
  gc: (() => void) | undefined;
  minGcIntervalWhenSoftLimitedMs: number;
  minGcIntervalWhenHardLimitedMs: number;
  logger: Logger;
}

/**
 * The state shared by every processor one limiter builds: memory is a
 * process-wide resource, so there is one reading, one timer and one budget.
 */
export class MemoryGuard {
  private memoryBytes = 0;
  private refusing = false;
  /** Whether the last reading was at or above the hard limit (logged once when it gets there). */
  private aboveHard = false;
  private inFlightBytes = 0;
  /** Reserved since the last reading: admitted bytes times memoryPerRequestByte. */
  private reservedBytes = 0;
  private users = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastGcAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly config: GuardConfig) {}

  get state(): MemoryLimiterState {
    return {
      memoryBytes: this.memoryBytes,
      refusing: this.refusing,
      inFlightBytes: this.inFlightBytes,
      reservedBytes: this.reservedBytes,
      limits: this.config.limits,
    };
  }

  /** A processor started: the first one starts the periodic check. */
  acquire(): void {
    this.users++;
    if (this.users > 1) return;
    this.check();
    this.timer = setInterval(() => this.check(), this.config.checkIntervalMs);
    this.timer.unref();
  }

  /** A processor shut down: the last one stops the check. */
  release(): void {
    if (this.users === 0) return;
    this.users--;
    if (this.users > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  check(): void {
    const { limits, logger } = this.config;
    let used: number;
    try {
      used = this.config.readMemoryBytes();
      if (this.shouldGc(used)) {
        this.lastGcAt = Date.now();
        this.config.gc!();
        used = this.config.readMemoryBytes();
      }
    } catch (e) {
      // Keep the previous decision rather than guessing.
      logger.error({ err: e }, 'memory reading failed');
      return;
    }
    this.memoryBytes = used;
    // The new reading includes whatever the reserved requests took by now.
    this.reservedBytes = 0;
    const refuse = used >= limits.softLimitBytes;
    const hard = used >= limits.hardLimitBytes;
    const fields = {
      memoryMib: toMib(used),
      softLimitMib: toMib(limits.softLimitBytes),
      hardLimitMib: toMib(limits.hardLimitBytes),
    };
    if (refuse !== this.refusing) {
      if (refuse)
        logger.warn(fields, `memory usage above the ${hard ? 'hard' : 'soft'} limit: refusing data`);
      else logger.info(fields, 'memory usage back below the soft limit: accepting data');
    } else if (refuse && hard && !this.aboveHard) {
      logger.warn(fields, 'memory usage above the hard limit: refusing data');
    }
    this.refusing = refuse;
    this.aboveHard = refuse && hard;
  }

  private shouldGc(used: number): boolean {
    const { gc, limits } = this.config;
    if (!gc || used < limits.softLimitBytes) return false;
    const minInterval =
      used >= limits.hardLimitBytes
        ? this.config.minGcIntervalWhenHardLimitedMs
        : this.config.minGcIntervalWhenSoftLimitedMs;
    return Date.now() - this.lastGcAt >= minInterval;
  }

  /** Admits `bytes` into the in-flight budget, or says why not. Call done() when admitted work settles. */
  admit(bytes: number): PipelineError | undefined {
    const { limits } = this.config;
    if (this.refusing) {
      return new PipelineError(
        'ERR_BACKPRESSURE',
        this.memoryBytes >= limits.hardLimitBytes
          ? `memory usage ${toMib(this.memoryBytes)} MiB is above the hard limit of ${toMib(limits.hardLimitBytes)} MiB`
          : `memory usage ${toMib(this.memoryBytes)} MiB is above the soft limit of ${toMib(limits.softLimitBytes)} MiB`,
      );
    }
    // One batch is always let through when nothing is in flight, so a batch
    // larger than the budget cannot be refused forever.
    if (this.inFlightBytes > 0 && this.inFlightBytes + bytes > limits.maxInFlightBytes) {
      return new PipelineError(
        'ERR_BACKPRESSURE',
        `${this.inFlightBytes + bytes} bytes in flight would exceed the budget of ${limits.maxInFlightBytes} bytes`,
      );
    }
    // The reservation: what this request will cost behind the limiter, with
    // what was admitted since the reading, must fit under the hard limit. As
    // with the budget, a request is let through when nothing is in flight.
    const cost = bytes * this.config.memoryPerRequestByte;
    const projected = this.memoryBytes + this.reservedBytes + cost;
    if (this.inFlightBytes > 0 && projected >= limits.hardLimitBytes) {
      return new PipelineError(
        'ERR_BACKPRESSURE',
        `admitting ${bytes} bytes (about ${toMib(cost)} MiB of work) would take memory from ${toMib(this.memoryBytes + this.reservedBytes)} MiB past the hard limit of ${toMib(limits.hardLimitBytes)} MiB`,
      );
    }
    this.inFlightBytes += bytes;
    this.reservedBytes += cost;
    return undefined;
  }

  done(bytes: number): void {
    this.inFlightBytes -= bytes;
  }
}
