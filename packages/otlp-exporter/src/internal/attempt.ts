import { PipelineError } from '@otlp-kafka/core';

/** The abort signal of one attempt: its own timeout, or the exporter's shutdown abort. */
export interface AttemptSignal {
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
  readonly shutdown: boolean;
  dispose(): void;
}

export function attemptSignal(timeoutMs: number, shutdown: AbortSignal): AttemptSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new PipelineError('ERR_TIMEOUT', `no answer within ${timeoutMs}ms`));
  }, timeoutMs);
  timer.unref();
  const onShutdown = (): void => controller.abort(new PipelineError('ERR_SHUTDOWN', 'exporter shut down'));
  if (shutdown.aborted) onShutdown();
  else shutdown.addEventListener('abort', onShutdown, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    get shutdown() {
      return shutdown.aborted && !timedOut;
    },
    dispose() {
      clearTimeout(timer);
      shutdown.removeEventListener('abort', onShutdown);
    },
  };
}

/** A transport failure as a PipelineError: ERR_TIMEOUT, ERR_SHUTDOWN or ERR_OTLP_CONNECTION. */
export function describeError(e: unknown, attempt: AttemptSignal, what: string): PipelineError {
  if (attempt.timedOut)
    return new PipelineError('ERR_TIMEOUT', `${what}: no answer within the attempt timeout`, { cause: e });
  if (attempt.shutdown)
    return new PipelineError('ERR_SHUTDOWN', `${what}: aborted by shutdown`, { cause: e });
  const code = errorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  return new PipelineError('ERR_OTLP_CONNECTION', `${what}: ${code ? `${code} ` : ''}${message}`, {
    cause: e,
  });
}

function errorCode(e: unknown): string | undefined {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR')) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
