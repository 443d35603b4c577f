import { parseOptions, type Exporter } from '@otlp-kafka/core';
import type { Batch } from '@otlp-kafka/pdata';
import { z } from 'zod';
import { MemorySinkImpl } from './internal/memory-sink.js';
import type { SinkCall } from './internal/scripted-sink.js';
import type { SinkBehaviour } from './sink-behaviour.js';

export type { SinkCall } from './internal/scripted-sink.js';

export interface MemorySinkOptions {
  /** Used in outcome messages. Default 'memory-sink'. */
  name?: string;
  /** Every consume() waits this long before answering. Default 0. Can be changed later via `.delayMs`. */
  delayMs?: number;
  /** The standing behaviour. Default 'ok'. */
  behaviour?: SinkBehaviour;
  /** How long shutdown() waits for calls still in progress. Default 5000. */
  shutdownTimeoutMs?: number;
  /** Keep every batch and call in memory (`.batches`, `.calls`). Off for long load runs: counts only. Default true. */
  keepBatches?: boolean;
}

/** An Exporter that records what it accepts and answers as scripted. */
export interface MemorySink extends Exporter {
  readonly name: string;
  /** Batches accepted (ok or partial), in the order their answers were given. */
  readonly batches: readonly Batch[];
  /** Every consume() call, in arrival order, with its outcome once answered. */
  readonly calls: readonly SinkCall[];
  /** Items accepted: the items of accepted batches minus those a partial outcome rejected. */
  readonly items: number;
  /** Items refused by partial outcomes. */
  readonly rejectedItems: number;
  readonly callsMade: number;
  readonly callsSettled: number;
  /** consume() calls not answered yet. */
  readonly inFlight: number;
  readonly started: boolean;
  readonly stopped: boolean;
  /** Delay before each answer (after any pause); settable at any time. */
  delayMs: number;
  /** The next `n` calls (default 1) answer with `behaviour`, then the standing behaviour again. */
  failNext(behaviour: SinkBehaviour, n?: number): void;
  /** Answer with `behaviour` from now on, until told otherwise (clears failNext). */
  setBehaviour(behaviour: SinkBehaviour): void;
  /** Hold every answer until resume(); calls still arrive and are counted. */
  pause(): void;
  resume(): void;
  /** Resolves once at least `n` items were accepted; rejects with ERR_TIMEOUT after timeoutMs (default 10000). */
  waitForItems(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves once at least `n` calls were answered. */
  waitForCalls(n: number, timeoutMs?: number): Promise<void>;
  /** Forgets batches, calls and counts. */
  clear(): void;
}

const DEFAULTS = {
  name: 'memory-sink',
  delayMs: 0,
  behaviour: 'ok',
  shutdownTimeoutMs: 5000,
  keepBatches: true,
} as const satisfies Required<MemorySinkOptions>;

export const sinkOptionsSchema = {
  name: z.string().min(1).default(DEFAULTS.name),
  delayMs: z.number().int().nonnegative().default(DEFAULTS.delayMs),
  behaviour: z.custom<SinkBehaviour>(isBehaviour, 'not a sink behaviour').default(DEFAULTS.behaviour),
  shutdownTimeoutMs: z.number().int().nonnegative().default(DEFAULTS.shutdownTimeoutMs),
  keepBatches: z.boolean().default(DEFAULTS.keepBatches),
};

export const memorySinkSchema = z.object(sinkOptionsSchema).strict();

/** An in-memory exporter for tests: records accepted batches and can be told to fail or delay. */
export function createMemorySink(options?: MemorySinkOptions): MemorySink {
  return new MemorySinkImpl(parseOptions('createMemorySink', memorySinkSchema, options));
}

const KINDS = new Set(['ok', 'retryable', 'backpressure', 'permanent', 'partial']);

export function isBehaviour(v: unknown): v is SinkBehaviour {
  if (typeof v === 'string') return KINDS.has(v);
  return typeof v === 'object' && v !== null && KINDS.has((v as { kind?: unknown }).kind as string);
}
