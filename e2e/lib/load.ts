// Fixed-rate OTLP load against an agent, with an exact record of what the agent
// acknowledged: the ids of every item of every request answered 200.
import type { Signal } from '@otlp-kafka/core';
import { createLoadGenerator } from '@otlp-kafka/testkit';
import { exportOtlpHttp } from './client.js';

export interface LoadOptions {
  /** Base URL of the agent's OTLP/HTTP receiver, asked before every attempt. */
  target: () => string;
  requestsPerSecond: number;
  /** Items (spans, data points, log records) per request. Default 50. */
  itemsPerRequest?: number;
  /** Distinct ids across scenarios and runs. */
  seed: number;
  /** A request not acknowledged by then is given up (and reported). Default 120 s. */
  deadlineMs?: number;
  /** Per attempt. Default 20 s. */
  attemptTimeoutMs?: number;
  /** At most this many requests awaiting an answer; the schedule slips while full. Default 400. */
  maxInFlight?: number;
  /** Signals in turn. Default traces, metrics, logs. */
  signals?: readonly Signal[];
}

export interface LoadReport {
  requests: number;
  items: number;
  /** Items acknowledged (HTTP 200). */
  acked: ReadonlySet<string>;
  /** Items of requests never acknowledged (the client gave up). */
  gaveUp: readonly string[];
  /** Items of requests that needed more than one attempt: the agent may have stored them twice. */
  retried: ReadonlySet<string>;
  /** Every answer the agent (or the network) gave so far, counted: { '200': n, '503': n, refused: n, ... }. */
  answers: Readonly<Record<string, number>>;
  /** Largest number of requests awaiting an answer at once. */
  maxInFlight: number;
}

export interface Load {
  /** Items acknowledged so far. */
  readonly acked: ReadonlySet<string>;
  readonly inFlight: number;
  /** Ids of the items of requests awaiting an answer right now. */
  inFlightIds(): string[];
  readonly answers: Readonly<Record<string, number>>;
  /** Stops starting requests and waits for the ones in flight. */
  stop(): Promise<LoadReport>;
  /** Stops at once: requests in flight stop retrying (cleanup after a failure). */
  cancel(): Promise<void>;
}

export function startLoad(o: LoadOptions): Load {
  const signals = o.signals ?? (['traces', 'metrics', 'logs'] as const);
  const generator = createLoadGenerator({
    signals: { traces: 1, metrics: 1, logs: 1 },
    itemsPerRequest: o.itemsPerRequest ?? 50,
    resources: 4,
    seed: o.seed,
    idPrefix: `e${o.seed}-`,
    trackIds: false,
  });
  const acked = new Set<string>();
  const retried = new Set<string>();
  const gaveUp: string[] = [];
  const answers: Record<string, number> = {};
  const inFlight = new Map<Promise<void>, readonly string[]>();
  let requests = 0;
  let items = 0;
  let maxInFlight = 0;
  let stopping = false;
  const abort = new AbortController();
  const intervalMs = 1000 / o.requestsPerSecond;

  const loop = (async () => {
    const start = Date.now();
    for (let i = 0; !stopping; i++) {
      const wait = start + i * intervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stopping) break;
      while (inFlight.size >= (o.maxInFlight ?? 400)) await Promise.race(inFlight.keys());
      const request = generator.generate(signals[i % signals.length]!);
      requests++;
      items += request.ids.length;
      const p: Promise<void> = exportOtlpHttp(o.target, request.batch, {
        deadlineMs: o.deadlineMs ?? 120_000,
        attemptTimeoutMs: o.attemptTimeoutMs ?? 20_000,
        abort: abort.signal,
        onAnswer: (a) => (answers[String(a)] = (answers[String(a)] ?? 0) + 1),
      }).then((r) => {
        if (r.answers.length > 1) for (const id of request.ids) retried.add(id);
        if (r.acknowledged) for (const id of request.ids) acked.add(id);
        else gaveUp.push(...request.ids);
        inFlight.delete(p);
      });
      inFlight.set(p, request.ids);
      maxInFlight = Math.max(maxInFlight, inFlight.size);
    }
  })();

  return {
    acked,
    get inFlight() {
      return inFlight.size;
    },
    inFlightIds: () => [...inFlight.values()].flat(),
    answers,
    async stop() {
      stopping = true;
      await loop;
      // Bounded: each request gives up at its deadline.
      await Promise.all(inFlight.keys());
      return { requests, items, acked, gaveUp, retried, answers: { ...answers }, maxInFlight };
    },
    async cancel() {
      stopping = true;
      abort.abort();
      await loop;
      await Promise.all(inFlight.keys());
    },
  };
}
