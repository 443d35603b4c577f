import type { Outcome } from '@otlp-kafka/core';

/** gRPC status codes used here (google.rpc.Code). */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * OTLP clients retry RESOURCE_EXHAUSTED only when the server sends RetryInfo,
 * so backpressure always carries a delay; this one when the pipeline gave none.
 */
export const DEFAULT_BACKPRESSURE_RETRY_MS = 1000;

/** How one pipeline outcome is answered on both transports. */
export interface Reply {
  readonly httpStatus: number;
  readonly grpcCode: number;
  /** Why it failed, or the partial-success message. */
  readonly message: string;
  readonly retryAfterMs?: number;
  /** For partial success. */
  readonly rejectedItems?: number;
}

export function replyFor(outcome: Outcome): Reply {
  if (outcome.isOk()) {
    const v = outcome.value;
    if (v.kind === 'ok') return { httpStatus: 200, grpcCode: GrpcCode.OK, message: '' };
    return { httpStatus: 200, grpcCode: GrpcCode.OK, message: v.message, rejectedItems: v.rejectedItems };
  }
  const r = outcome.error;
  switch (r.kind) {
    case 'backpressure':
      return {
        httpStatus: 429,
        grpcCode: GrpcCode.RESOURCE_EXHAUSTED,
        message: r.error.message,
        retryAfterMs: r.retryAfterMs ?? DEFAULT_BACKPRESSURE_RETRY_MS,
      };
    case 'retryable':
      return r.retryAfterMs === undefined
        ? { httpStatus: 503, grpcCode: GrpcCode.UNAVAILABLE, message: r.error.message }
        : {
            httpStatus: 503,
            grpcCode: GrpcCode.UNAVAILABLE,
            message: r.error.message,
            retryAfterMs: r.retryAfterMs,
          };
    case 'permanent':
      return { httpStatus: 400, grpcCode: GrpcCode.INVALID_ARGUMENT, message: r.error.message };
  }
}

/** Retry-After in whole seconds, at least 1. */
export function retryAfterHeader(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
