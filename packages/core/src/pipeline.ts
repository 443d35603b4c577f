import type { Signal } from '@otlp-kafka/pdata';
import type { Component, Consumer, Exporter, Processor, ProcessorFactory, Receiver } from './component.js';
import { invalidOptions, PipelineError } from './errors.js';
import { fanOut } from './fan-out.js';
import { createLifecycle, type ShutdownOptions } from './lifecycle.js';
import { getLogger, type TelemetryOptions } from './telemetry.js';
import { withTimeout, type Deadline } from './time.js';

/**
 * The default of PipelineOptions.shutdownTimeoutMs: inside Kubernetes' default
 * 30 s termination grace period, with room for the few seconds of cleanup a
 * component may take past its deadline (the Kafka receiver's final commit,
 * an exporter's aborted sends) and for the process to exit.
 */
export const PIPELINE_SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * How long past its time left the pipeline waits for a component's shutdown
 * before it logs it and goes on with the next ones: a component that ignores
 * its deadline (a custom one, a bug) cannot hold the whole shutdown. Longer
 * than any built-in component's bounded cleanup (at most 2 s).
 */
const STRAGGLER_GRACE_MS = 5000;

/** One signal's path: receivers -> processors (in order) -> exporters. */
export interface PipelineSpec {
  signal: Signal;
  /** For logs and errors; defaults to the signal, as `traces` or `traces/2` in a Collector config. */
  name?: string;
  receivers: readonly Receiver[];
  /** Built once per pipeline; the first one gets the receivers' data. */
  processors?: readonly ProcessorFactory[];
  exporters: readonly Exporter[];
}

export interface PipelineOptions extends TelemetryOptions {
  pipelines: readonly PipelineSpec[];
  /**
   * One deadline for the whole shutdown: each component, in order, is handed
   * the time left (`shutdown({ timeoutMs })`), so per-component timeouts no
   * longer add up. Default PIPELINE_SHUTDOWN_TIMEOUT_MS (25000).
   */
  shutdownTimeoutMs?: number;
}

/** Several pipelines started and shut down together, sharing receiver and exporter instances. */
export interface Pipeline extends Component {
  readonly receivers: readonly Receiver[];
  readonly exporters: readonly Exporter[];
}

/**
 * Wires receivers, processors and exporters. A receiver listed in several
 * pipelines of one signal fans out to all of them; so does a pipeline with
 * several exporters. Start goes back to front (exporters first), shutdown
 * front to back (receivers first, so intake stops before anything flushes),
 * all of it within one deadline.
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  const logger = getLogger(options, 'pipeline');
  if (options.pipelines.length === 0)
    throw invalidOptions('createPipeline', 'at least one pipeline is required');
  const receivers = unique(options.pipelines.flatMap((p) => p.receivers));
  const exporters = unique(options.pipelines.flatMap((p) => p.exporters));
  const chains: Processor[][] = [];
  const heads = new Map<Receiver, Map<Signal, Consumer[]>>();
  const names = new Set<string>();

  for (const spec of options.pipelines) {
    const name = spec.name ?? spec.signal;
    if (names.has(name)) throw invalidOptions('createPipeline', `duplicate pipeline name "${name}"`);
    names.add(name);
    if (spec.receivers.length === 0)
      throw invalidOptions('createPipeline', `pipeline "${name}" has no receivers`);
    if (spec.exporters.length === 0)
      throw invalidOptions('createPipeline', `pipeline "${name}" has no exporters`);
    let head: Consumer = fanOut(spec.exporters);
    const chain: Processor[] = [];
    for (const factory of [...(spec.processors ?? [])].reverse()) {
      const processor = factory(head);
      chain.unshift(processor);
      head = processor;
    }
    chains.push(chain);
    for (const receiver of spec.receivers) {
      if (!receiver.signals.includes(spec.signal))
        throw invalidOptions(
          'createPipeline',
          `pipeline "${name}": a receiver does not produce ${spec.signal}`,
        );
      const bySignal = heads.get(receiver) ?? new Map<Signal, Consumer[]>();
      heads.set(receiver, bySignal);
      bySignal.set(spec.signal, [...(bySignal.get(spec.signal) ?? []), head]);
    }
  }
  for (const [receiver, bySignal] of heads) {
    for (const [signal, consumers] of bySignal) receiver.connect(signal, fanOut(consumers));
  }

  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? PIPELINE_SHUTDOWN_TIMEOUT_MS;
  const lifecycle = createLifecycle('pipeline', { shutdownTimeoutMs });
  return {
    receivers,
    exporters,
    start() {
      return lifecycle.start(async () => {
        // A shutdown that began meanwhile stops the start: no receiver opens after SIGTERM.
        const next = async (c: Component) => {
          if (lifecycle.state !== 'starting')
            throw new PipelineError('ERR_SHUTDOWN', 'pipeline: shutdown began during start');
          await c.start();
        };
        for (const e of exporters) await next(e);
        for (const chain of chains) for (const p of [...chain].reverse()) await next(p);
        for (const r of receivers) await next(r);
        logger.info({ pipelines: [...names] }, 'pipelines started');
      });
    },
    /** Also after a failed or no start: whatever did start is released. */
    shutdown(shutdownOptions?: ShutdownOptions) {
      return lifecycle.shutdown(async ({ deadline }) => {
        logger.info({ timeoutMs: deadline.remainingMs() }, 'shutting down pipelines');
        await settleAll(receivers, deadline, logger);
        // Each chain flushes head first, so data moves towards the exporters.
        await Promise.all(
          chains.map(async (chain) => {
            for (const p of chain) await settleAll([p], deadline, logger);
          }),
        );
        await settleAll(exporters, deadline, logger);
        logger.info('pipelines shut down');
      }, shutdownOptions);
    },
  };
}

/** Shuts components down together, each with the time left of the pipeline's one deadline. */
async function settleAll(
  components: readonly Component[],
  deadline: Deadline,
  logger: ReturnType<typeof getLogger>,
): Promise<void> {
  const results = await Promise.allSettled(
    components.map((c) => {
      const timeoutMs = deadline.remainingMs();
      return withTimeout(c.shutdown({ timeoutMs }), timeoutMs + STRAGGLER_GRACE_MS, 'a component shutdown');
    }),
  );
  for (const r of results) if (r.status === 'rejected') logger.error({ err: r.reason }, 'shutdown failed');
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
