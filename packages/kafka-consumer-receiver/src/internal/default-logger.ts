import type { Logger } from '@otlp-kafka/core';
import { createLogThrottle, type LogThrottle } from './log-throttle.js';

export interface StderrLoggerSources {
  /** Where lines go. Default: process.stderr. */
  readonly write?: (line: string) => void;
  readonly throttle?: LogThrottle;
  readonly now?: () => Date;
}

/**
 * The logger a receiver uses when none is given: debug and info are dropped,
 * warn and error become one line each on stderr, at most a few per message
 * and 10 s (createLogThrottle), the next admitted line saying how many were left out.
 */
export function stderrLogger(component: string, sources: StderrLoggerSources = {}): Logger {
  const write = sources.write ?? ((line: string) => void process.stderr.write(line));
  const throttle = sources.throttle ?? createLogThrottle();
  const now = sources.now ?? (() => new Date());
  const line =
    (level: 'warn' | 'error') =>
    (obj: object | string, msg?: string): void => {
      const text = typeof obj === 'string' ? obj : (msg ?? '');
      const admitted = throttle.admit(`${level}|${text}`);
      if (!admitted) return;
      const fields = typeof obj === 'string' ? {} : obj;
      const extra = admitted.suppressed > 0 ? { ...fields, suppressed: admitted.suppressed } : fields;
      const json = Object.keys(extra).length ? ` ${stringify(extra)}` : '';
      write(`${now().toISOString()} ${level.toUpperCase()} [@otlp-kafka/${component}] ${text}${json}\n`);
    };
  const drop = (): void => {};
  return { debug: drop, info: drop, warn: line('warn'), error: line('error') };
}

/** JSON with errors as { name, code, message } and bytes as their length; never throws. */
function stringify(fields: object): string {
  try {
    return JSON.stringify(fields, function (this: Record<string, unknown>, key: string, json: unknown) {
      // The holder's own value: a Buffer's toJSON already ran on `json`.
      const value = this[key];
      if (value instanceof Error) {
        const code = (value as { code?: unknown }).code;
        return { name: value.name, ...(code !== undefined ? { code } : {}), message: value.message };
      }
      if (value instanceof Uint8Array) return `<${value.length} bytes>`;
      if (typeof value === 'bigint') return value.toString();
      return json;
    });
  } catch {
    return '"(unserializable fields)"';
  }
}
