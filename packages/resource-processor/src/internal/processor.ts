import {
  PipelineError,
  createInFlight,
  createLifecycle,
  permanent,
  safeConsume,
  type Batch,
  type Consumer,
  type Lifecycle,
  type Logger,
  type Outcome,
  type Processor,
  type ShutdownOptions,
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
  private readonly lifecycle: Lifecycle;

  constructor(
    private readonly next: Consumer,
    private readonly config: ResourceConfig,
  ) {
    this.lifecycle = createLifecycle(config.name, { shutdownTimeoutMs: config.shutdownTimeoutMs });
  }

  start(): Promise<void> {
    return this.lifecycle.start(() => {});
  }

  consume(batch: Batch): Promise<Outcome> {
    const name = this.config.name;
    const refused = this.lifecycle.refusal();
    if (refused) return Promise.resolve(refused);
    const edited = editResource(batch, this.config.actions);
    if (edited.isErr()) {
      this.config.logger.debug({ err: edited.error }, 'resource edit failed');
      return Promise.resolve(
        permanent(
          new PipelineError(
            'ERR_INVALID_DATA',
            `${name}: cannot edit resource attributes: ${edited.error.message}`,
            {
              cause: edited.error,
            },
          ),
        ),
      );
    }
    return this.inFlight.track(safeConsume(this.next, edited.value));
  }

  shutdown(options?: ShutdownOptions): Promise<void> {
    return this.lifecycle.shutdown(async ({ deadline }) => {
      if (!(await this.inFlight.drain(deadline.remainingMs())))
        this.config.logger.warn({ inFlight: this.inFlight.size }, 'resource processor shutdown timed out');
    }, options);
  }
}
