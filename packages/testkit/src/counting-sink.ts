import { parseOptions, type Exporter } from '@otlp-kafka/core';
import type { Signal } from '@otlp-kafka/pdata';
import { z } from 'zod';
import { CountingSinkImpl } from './internal/counting-sink.js';
import type { SinkCall } from './internal/scripted-sink.js';
import { memorySinkSchema, type MemorySinkOptions } from './memory-sink.js';
import type { SinkBehaviour } from './sink-behaviour.js';

/** What a counting sink saw against what was sent. */
export interface CountReport {
  /** Ids expected (given), or every distinct id seen when none were given. */
  readonly sent: number;
  /** Expected ids that arrived at least once. */
  readonly delivered: number;
  /** Expected ids that never arrived. */
  readonly lost: number;
  /** Ids that arrived more than once. */
  readonly duplicated: number;
  /** Ids that arrived but were not expected (only when ids were given). */
  readonly unexpected: number;
  /** Items that carried no id. */
  readonly unidentified: number;
  /** Every item accepted, duplicates included. */
  readonly deliveries: number;
  readonly lostIds: readonly string[];
  readonly duplicatedIds: readonly string[];
  readonly unexpectedIds: readonly string[];
  /** Nothing lost, duplicated, unexpected or unidentified. */
  readonly exact: boolean;
}

export type CountingSinkOptions = MemorySinkOptions;

/** Something that knows what was sent: a list of ids, or a load generator. */
export type ExpectedIds = Iterable<string> | { ids(): readonly string[] };

/**
 * An Exporter that decodes every accepted batch and counts each span, data
 * point and log record by its id (see itemIds). It answers like a memory sink
 * (failNext, setBehaviour, delay, pause); only accepted items count, and a
 * partial outcome rejects the batch's last items. Undecodable data is a
 * permanent outcome.
 */
export interface CountingSink extends Exporter {
  readonly name: string;
  /** Items accepted, duplicates included. */
  readonly items: number;
  /** Distinct ids accepted. */
  readonly uniqueItems: number;
  /** Items accepted per signal, duplicates included. */
  readonly bySignal: Readonly<Record<Signal, number>>;
  readonly calls: readonly SinkCall[];
  readonly callsMade: number;
  readonly callsSettled: number;
  readonly inFlight: number;
  delayMs: number;
  /** How many times `id` was accepted. */
  count(id: string): number;
  report(expected?: ExpectedIds): CountReport;
  failNext(behaviour: SinkBehaviour, n?: number): void;
  setBehaviour(behaviour: SinkBehaviour): void;
  pause(): void;
  resume(): void;
  waitForItems(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves once every one of `ids` arrived at least once. */
  waitForIds(expected: ExpectedIds, timeoutMs?: number): Promise<void>;
  waitForCalls(n: number, timeoutMs?: number): Promise<void>;
  clear(): void;
}

const schema = z
  .object({ ...memorySinkSchema.shape, name: memorySinkSchema.shape.name.default('counting-sink') })
  .strict();

export function createCountingSink(options?: CountingSinkOptions): CountingSink {
  return new CountingSinkImpl(parseOptions('createCountingSink', schema, options));
}
