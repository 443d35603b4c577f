import type { Batch, Signal } from '@otlp-kafka/core';

const PATHS: Record<Signal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };

export interface SendResult {
  /** The agent answered 200: the items are acknowledged (in Kafka with acks=all). */
  acknowledged: boolean;
  attempts: number;
  lastStatus: number | string;
}

/**
 * Sends one OTLP/HTTP protobuf request the way an SDK exporter does: retries
 * 429, 502, 503, 504 and connection errors with backoff (honouring
 * Retry-After), gives up after `deadlineMs`. Only a 200 counts as acknowledged.
 */
export async function sendOtlpHttp(
  baseUrl: string,
  batch: Batch,
  options: {
    deadlineMs?: number;
    initialBackoffMs?: number;
    maxBackoffMs?: number;
    signal?: AbortSignal;
  } = {},
): Promise<SendResult> {
  const deadline = Date.now() + (options.deadlineMs ?? 60_000);
  let backoff = options.initialBackoffMs ?? 200;
  let attempts = 0;
  let lastStatus: number | string = 'none';
  while (Date.now() < deadline && !options.signal?.aborted) {
    attempts++;
    let retryAfterMs: number | undefined;
    try {
      const res = await fetch(baseUrl + PATHS[batch.signal], {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: batch.bytes,
        signal: AbortSignal.timeout(15_000),
      });
      lastStatus = res.status;
      await res.arrayBuffer();
      if (res.status === 200) return { acknowledged: true, attempts, lastStatus };
      if (![429, 502, 503, 504].includes(res.status)) return { acknowledged: false, attempts, lastStatus };
      const ra = res.headers.get('retry-after');
      if (ra && /^\d+$/.test(ra)) retryAfterMs = Number(ra) * 1000;
    } catch (e) {
      lastStatus = (e as Error).name === 'TimeoutError' ? 'timeout' : 'connection error';
    }
    const wait = Math.min(
      retryAfterMs ?? backoff,
      options.maxBackoffMs ?? 5_000,
      Math.max(0, deadline - Date.now()),
    );
    await new Promise((r) => setTimeout(r, wait));
    backoff = Math.min(backoff * 2, options.maxBackoffMs ?? 5_000);
  }
  return { acknowledged: false, attempts, lastStatus };
}
