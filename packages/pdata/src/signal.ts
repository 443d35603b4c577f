/** The three OTLP signals. Each has its own Export*ServiceRequest message. */
export type Signal = 'traces' | 'metrics' | 'logs';

export const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

export function isSignal(value: unknown): value is Signal {
  return value === 'traces' || value === 'metrics' || value === 'logs';
}
