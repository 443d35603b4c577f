import { outcomeKind, refusalOf } from '@otlp-kafka/core';
import { createBatch, type Batch, type Signal } from '@otlp-kafka/pdata';
import type { BackendMode, ModeOptions } from '../otlp-backend.js';
import { itemIds } from '../item-ids.js';
import type { CountingSinkImpl } from './counting-sink.js';
import { workDelay } from './work-delay.js';

/** What the backend answers, independent of the transport. */
export type Answer =
  | { readonly kind: 'ok'; readonly rejectedItems: number; readonly message: string }
  | {
      readonly kind: 'error';
      readonly http: number;
      readonly grpc: number;
      readonly message: string;
      readonly retryAfterSeconds?: number;
    }
  /** Backend "down": the connection is cut without an answer. */
  | { readonly kind: 'drop' };

export const GRPC = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** One accepted request as recordHeaders keeps it. */
export interface RecordedRequest {
  readonly signal: Signal;
  readonly transport: 'http' | 'grpc';
  /** Request headers (HTTP) or metadata (gRPC, text values), lower-case names, repeated values joined with ', '. */
  readonly headers: Readonly<Record<string, string>>;
  /** Ids of the items accepted (the rejected tail of a partial answer left out). */
  readonly ids: readonly string[];
}

interface Scripted {
  mode: BackendMode;
  requestsLeft: number;
  until: number;
  retryAfterSeconds: number | undefined;
  rejectedItems: number;
}

/** The scripted behaviour and the counting shared by the HTTP and gRPC sides. */
export class BackendCore {
  latencyMs: number;
  readonly statuses: Record<string, number> = {};
  requests = 0;
  /** Items accepted in requests the client marked as retries, and how often. */
  readonly resent = new Map<string, number>();
  /** Accepted requests with their headers and item ids, when recording is on (recordHeaders). */
  readonly recorded: RecordedRequest[] = [];
  recordHeaders = false;
  private script: Scripted = {
    mode: 'ok',
    requestsLeft: Infinity,
    until: Infinity,
    retryAfterSeconds: undefined,
    rejectedItems: 1,
  };

  constructor(
    readonly sink: CountingSinkImpl,
    latencyMs: number,
    private readonly defaultRetryAfterSeconds: number,
  ) {
    this.latencyMs = latencyMs;
  }

  get mode(): BackendMode {
    this.expire();
    return this.script.mode;
  }

  setMode(mode: BackendMode, options: ModeOptions = {}): void {
    this.script = {
      mode,
      requestsLeft: options.requests ?? Infinity,
      until: options.forMs === undefined ? Infinity : Date.now() + options.forMs,
      retryAfterSeconds: options.retryAfterSeconds,
      rejectedItems: options.rejectedItems ?? 1,
    };
  }

  /**
   * Answers one request of `signal` whose body is the encoded protobuf `bytes`;
   * `retry`: the client marked it as a retry of a request it got no answer for.
   * Like a real backend, it accepts what arrived even if the client stopped
   * waiting during the latency.
   */
  async handle(
    signal: Signal,
    bytes: Uint8Array,
    transport: 'http' | 'grpc',
    retry = false,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<Answer> {
    this.requests++;
    const script = this.take();
    if (this.latencyMs > 0) await workDelay(this.latencyMs);
    const answer = await this.answer(signal, bytes, script, { transport, headers });
    if (retry && answer.kind === 'ok') this.countResent(signal, bytes, answer.rejectedItems);
    const key = `${transport} ${answer.kind === 'ok' ? (transport === 'http' ? 200 : 'OK') : answer.kind === 'drop' ? 'dropped' : transport === 'http' ? answer.http : answer.grpc}`;
    this.statuses[key] = (this.statuses[key] ?? 0) + 1;
    return answer;
  }

  private async answer(
    signal: Signal,
    bytes: Uint8Array,
    s: Scripted,
    request: Pick<RecordedRequest, 'transport' | 'headers'>,
  ): Promise<Answer> {
    const retryAfterSeconds = s.retryAfterSeconds;
    switch (s.mode) {
      case 'down':
        return { kind: 'drop' };
      case 'unavailable':
        return {
          kind: 'error',
          http: 503,
          grpc: GRPC.UNAVAILABLE,
          message: 'test backend unavailable',
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        };
      case 'throttle':
        return {
          kind: 'error',
          http: 429,
          grpc: GRPC.RESOURCE_EXHAUSTED,
          message: 'test backend throttling',
          retryAfterSeconds: retryAfterSeconds ?? this.defaultRetryAfterSeconds,
        };
      case 'reject':
        return {
          kind: 'error',
          http: 400,
          grpc: GRPC.INVALID_ARGUMENT,
          message: 'test backend rejects the data',
        };
      default:
        break;
    }
    const batch = createBatch(signal, bytes);
    if (batch.isErr()) return invalid(batch.error.message);
    if (s.mode === 'partial')
      this.sink.failNext({
        kind: 'partial',
        rejectedItems: s.rejectedItems,
        message: 'test backend partial success',
      });
    // Recorded before the sink counts it, so whoever waits on the sink finds the request here too.
    const entry = this.recordHeaders
      ? this.entry(batch.value, request, s.mode === 'partial' ? s.rejectedItems : 0)
      : undefined;
    if (entry) this.recorded.push(entry);
    const outcome = await this.sink.consume(batch.value);
    if (entry && !outcome.isOk()) this.recorded.splice(this.recorded.indexOf(entry), 1);
    if (outcome.isOk())
      return outcome.value.kind === 'partial'
        ? { kind: 'ok', rejectedItems: outcome.value.rejectedItems, message: outcome.value.message }
        : { kind: 'ok', rejectedItems: 0, message: '' };
    const message = refusalOf(outcome)?.message ?? 'refused';
    if (outcomeKind(outcome) === 'permanent') return invalid(message);
    return { kind: 'error', http: 503, grpc: GRPC.UNAVAILABLE, message };
  }

  private countResent(signal: Signal, bytes: Uint8Array, rejectedItems: number): void {
    const batch = createBatch(signal, bytes);
    const ids = batch.isOk() ? itemIds(batch.value) : undefined;
    if (!ids?.isOk()) return;
    // As the counting sink: a partial answer rejects the request's last items.
    for (const id of ids.value.slice(0, ids.value.length - rejectedItems))
      if (id !== '') this.resent.set(id, (this.resent.get(id) ?? 0) + 1);
  }

  private entry(
    batch: Batch,
    request: Pick<RecordedRequest, 'transport' | 'headers'>,
    rejectedItems: number,
  ): RecordedRequest {
    const ids = itemIds(batch);
    const all = ids.isOk() ? ids.value : [];
    return Object.freeze({
      signal: batch.signal,
      transport: request.transport,
      headers: Object.freeze({ ...request.headers }),
      ids: Object.freeze(all.slice(0, Math.max(0, all.length - rejectedItems))),
    });
  }

  /** The script for the request arriving now; counts it against a bounded mode. */
  private take(): Scripted {
    this.expire();
    const s = this.script;
    if (s.mode !== 'ok' && Number.isFinite(s.requestsLeft)) s.requestsLeft--;
    return { ...s };
  }

  private expire(): void {
    const s = this.script;
    if (s.mode !== 'ok' && (s.requestsLeft <= 0 || Date.now() >= s.until)) this.setMode('ok');
  }
}

export function invalid(message: string): Answer {
  return { kind: 'error', http: 400, grpc: GRPC.INVALID_ARGUMENT, message };
}
