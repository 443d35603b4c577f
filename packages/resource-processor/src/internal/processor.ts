import {
  PipelineError,
  createInFlight,
  permanent,
  retryable,
  safeConsume,
  type Batch,
  type Consumer,
  type Logger,
  type Outcome,
  type Processor,
} from '@otlp-kafka/core';
import { editResource, type ResourceAction } from '@otlp-kafka/pdata';

export interface ResourceConfig {
  name: string;
  actions: readonly ResourceAction[];
  shutdownTimeoutMs: number;
  logger: Logger;
}

/** Edits resource attributes on the wire and passes the batch on; its outcome is the next consumer's. */
export class ResourceProcessor implements Processor {
  private readonly inFlight = createInFlight();
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly next: Consumer,
    private readonly config: ResourceConfig,
  ) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  consume(batch: Batch): Promise<Outcome> {
    const name = this.config.name;
    if (this.stopping) return Promise.resolve(retryable(new PipelineError('ERR_SHUTDOWN', `${name}: shutting down`)));
    const edited = editResource(batch, this.config.actions);
    if (edited.isErr()) {
      this.config.logger.debug({ err: edited.error }, 'resource edit failed');
      return Promise.resolve(
        permanent(
          new PipelineError('ERR_INVALID_DATA', `${name}: cannot edit resource attributes: ${edited.error.message}`, {
            cause: edited.error,
          }),
        ),
      );
    }
    return this.inFlight.track(safeConsume(this.next, edited.value));
  }

  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      if (!(await this.inFlight.drain(this.config.shutdownTimeoutMs)))
        this.config.logger.warn({ inFlight: this.inFlight.size }, 'resource processor shutdown timed out');
    })();
    return this.stopping;
  }
}
