// An OTLP/HTTP protobuf client that behaves like an SDK exporter (retries
// 429/502/503/504 and connection errors with backoff, honours Retry-After) and
// remembers every answer, so a scenario can check what the agent told clients.
import type { Batch, Signal } from '@otlp-kafka/core';

const PATHS: Record<Signal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };
const RETRYABLE = new Set([429, 502, 503, 504]);

export interface ExportResult {
  /** The agent answered 200: the items are in Kafka (acks=all). */
  acknowledged: boolean;
  /** Every answer in order: an HTTP status, 'refused' (connection error) or 'timeout'. */
  answers: (number | string)[];
}

export interface ExportOptions {
  /** Give up (not acknowledged) after this long. */
  deadlineMs: number;
  /** Abort one attempt after this long (then retry). */
  attemptTimeoutMs: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Stop retrying (the result is then not acknowledged). */
  abort?: AbortSignal;
  /** Called with each answer as it comes. */
  onAnswer?: (answer: number | string) => void;
}

export async function exportOtlpHttp(
  baseUrl: () => string,
  batch: Batch,
  o: ExportOptions,
): Promise<ExportResult> {
  const deadline = Date.now() + o.deadlineMs;
  const maxBackoff = o.maxBackoffMs ?? 2000;
  let backoff = o.initialBackoffMs ?? 200;
  const answers: (number | string)[] = [];
  while (Date.now() < deadline && !o.abort?.aborted) {
    let retryAfterMs: number | undefined;
    try {
      const res = await fetch(baseUrl() + PATHS[batch.signal], {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: batch.bytes,
        signal: o.abort
          ? AbortSignal.any([AbortSignal.timeout(o.attemptTimeoutMs), o.abort])
          : AbortSignal.timeout(o.attemptTimeoutMs),
      });
      await res.arrayBuffer();
      answers.push(res.status);
      o.onAnswer?.(res.status);
      if (res.status === 200) return { acknowledged: true, answers };
      if (!RETRYABLE.has(res.status)) return { acknowledged: false, answers };
      const ra = res.headers.get('retry-after');
      if (ra && /^\d+$/.test(ra)) retryAfterMs = Number(ra) * 1000;
    } catch (e) {
      const answer = (e as Error).name === 'TimeoutError' ? 'timeout' : 'refused';
      answers.push(answer);
      o.onAnswer?.(answer);
    }
    const wait = Math.min(Math.max(retryAfterMs ?? 0, backoff), Math.max(0, deadline - Date.now()));
    await new Promise((r) => setTimeout(r, wait));
    backoff = Math.min(backoff * 2, maxBackoff);
  }
  return { acknowledged: false, answers };
}
