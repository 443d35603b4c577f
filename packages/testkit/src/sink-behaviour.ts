/** What a scripted sink answers: an outcome kind, optionally with details. */
export type SinkBehaviour =
  | 'ok'
  | 'retryable'
  | 'backpressure'
  | 'permanent'
  | 'partial'
  | { readonly kind: 'ok' }
  | { readonly kind: 'retryable' | 'backpressure'; readonly retryAfterMs?: number; readonly message?: string }
  | { readonly kind: 'permanent'; readonly message?: string }
  /** Rejects the last `rejectedItems` items of the batch (default 1, at most all of them). */
  | { readonly kind: 'partial'; readonly rejectedItems?: number; readonly message?: string };
