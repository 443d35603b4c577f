import { pino, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured JSON logs on stderr (stdout stays free for command output such as tables). */
export function createCliLogger(level: LogLevel = 'info'): PinoLogger {
  return pino({ level, base: { service: 'otlp-kafka' } }, pino.destination({ fd: 2, sync: true }));
}
