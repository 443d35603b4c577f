/** Error codes across otlp-kafka. A component adds its own under its prefix (ERR_KAFKA_*, ERR_OTLP_*...). */
export type PipelineErrorCode =
  | 'ERR_INVALID_OPTIONS'
  | 'ERR_INVALID_DATA'
  | 'ERR_BACKPRESSURE'
  | 'ERR_UNAVAILABLE'
  | 'ERR_TIMEOUT'
  | 'ERR_SHUTDOWN'
  | 'ERR_NOT_STARTED'
  | 'ERR_INTERNAL'
  | (string & {});

/** Every error otlp-kafka creates: a stable `code` and the underlying `cause`. */
export class PipelineError extends Error {
  override readonly name: string = 'PipelineError';
  readonly code: PipelineErrorCode;

  constructor(code: PipelineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Wraps anything thrown into a PipelineError, keeping it as the cause. */
export function toPipelineError(e: unknown, code: PipelineErrorCode = 'ERR_INTERNAL'): PipelineError {
  if (e instanceof PipelineError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new PipelineError(code, message, { cause: e });
}

/** Thrown by option validation at construction: a clear message naming the option. */
export function invalidOptions(component: string, message: string): PipelineError {
  return new PipelineError('ERR_INVALID_OPTIONS', `${component}: ${message}`);
}
