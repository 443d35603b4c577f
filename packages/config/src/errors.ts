import { PipelineError } from '@otlp-kafka/core';

export type ConfigErrorCode =
  | 'ERR_CONFIG_YAML'
  | 'ERR_CONFIG_ENV'
  | 'ERR_CONFIG_INVALID'
  | 'ERR_CONFIG_UNKNOWN_COMPONENT'
  | 'ERR_CONFIG_PIPELINE'
  | 'ERR_CONFIG_FILE';

/** A configuration problem; `path` is the dotted YAML path (e.g. exporters.kafka/traces.producer.required_acks). */
export class ConfigError extends PipelineError {
  override readonly name = 'ConfigError';
  readonly path: string;
  readonly problems: readonly string[];

  constructor(
    code: ConfigErrorCode,
    message: string,
    path = '',
    problems: readonly string[] = [message],
    cause?: unknown,
  ) {
    super(code, message, { cause });
    this.path = path;
    this.problems = problems;
  }
}
