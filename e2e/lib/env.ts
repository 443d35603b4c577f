// Run-wide settings of the e2e suite.
import { inject } from 'vitest';

/** E2E_SUBSET=fast: the CI subset, with shorter phases. */
export const FAST = process.env.E2E_SUBSET === 'fast';
export const SUBSET: 'full' | 'fast' = FAST ? 'fast' : 'full';

/** A duration (or count) for the full suite and for the fast subset. */
export function pick<T>(full: T, fast: T): T {
  return FAST ? fast : full;
}

export interface KafkaInfo {
  brokers: string;
  basePort: number;
  nodes: number;
}

/** The run's three-node cluster (started by the global setup). */
export function kafka(): KafkaInfo {
  return { brokers: inject('kafkaBrokers'), basePort: inject('kafkaBasePort'), nodes: inject('kafkaNodes') };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true; false when `timeoutMs` passed first. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 500,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}
